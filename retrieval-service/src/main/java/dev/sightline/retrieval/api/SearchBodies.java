package dev.sightline.retrieval.api;

import dev.sightline.common.http.RequestSizeFilter;
import io.quarkus.vertx.http.runtime.RouteConstants;
import io.vertx.ext.web.Router;
import io.vertx.ext.web.RoutingContext;
import io.vertx.ext.web.handler.BodyHandler;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;

/**
 * A search's body is read whole on the event loop, after the internal-token and size filters, before the request
 * reaches its (blocking) resource method. Without this, Quarkus REST hands a blocking method a stream that its
 * worker thread reads by waiting for the event loop to pass it each chunk: one more pair of thread wake-ups per
 * search, about a tenth of the service's CPU for a 512-d query on a 2-core machine (async-profiler, {@code
 * Object.wait} in {@code VertxBlockingInput.readBlocking} and its notifications). Bodies stay within the service's
 * request limit ({@code sightline.http.max-body-size}); one sent without a length that grows past it is answered
 * 413 like one that declares it.
 */
@ApplicationScoped
public class SearchBodies {

    /** The search route, as Vert.x writes the resource's path. */
    static final String PATH = "/collections/:name/search";

    private final RequestSizeFilter sizes;

    public SearchBodies(RequestSizeFilter sizes) {
        this.sizes = sizes;
    }

    void route(@Observes Router router) {
        long limit = sizes.maxBytes();
        // Filters run at negative orders (minus their priority); Quarkus REST at the default order, after this.
        router.post(PATH).order(RouteConstants.ROUTE_ORDER_BEFORE_DEFAULT)
                .handler(BodyHandler.create(false).setBodyLimit(limit))
                .failureHandler(rc -> tooLarge(rc, limit));
    }

    private static void tooLarge(RoutingContext rc, long limit) {
        if (rc.response().ended() || rc.response().closed()) {
            return; // refused already, and the client's unread rest of the body then failed the read: nothing to say
        }
        if (rc.statusCode() != 413) {
            rc.next();
            return;
        }
        RequestSizeFilter.refuse(rc, "The request body is over the limit of " + limit + " bytes.");
    }
}
