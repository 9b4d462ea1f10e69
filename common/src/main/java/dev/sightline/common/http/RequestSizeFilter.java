package dev.sightline.common.http;

import dev.sightline.common.problem.CommonProblem;
import dev.sightline.common.problem.Problem;
import io.quarkus.runtime.configuration.MemorySize;
import io.quarkus.vertx.http.runtime.filters.Filters;
import io.vertx.core.json.Json;
import io.vertx.ext.web.RoutingContext;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import org.eclipse.microprofile.config.inject.ConfigProperty;

/**
 * Answers 413 to a request whose declared Content-Length exceeds the service's body limit, before one body byte
 * is read, and closes the connection (the unread body would follow on it). The limit is
 * {@code quarkus.http.limits.max-body-size}, which each service sets from its own {@code limits.max-request-bytes};
 * bodies without a length (chunked) are cut at the same limit by Vert.x while they are read.
 */
@ApplicationScoped
public class RequestSizeFilter {

    /** Runs before routing and body handling. */
    static final int PRIORITY = 100;

    private final long maxBytes;

    public RequestSizeFilter(@ConfigProperty(name = "quarkus.http.limits.max-body-size", defaultValue = "10240K") MemorySize max) {
        this.maxBytes = max.asLongValue();
    }

    void register(@Observes Filters filters) {
        filters.register(this::check, PRIORITY);
    }

    /** The limit in bytes. */
    public long maxBytes() {
        return maxBytes;
    }

    void check(RoutingContext rc) {
        long declared = declaredLength(rc.request().getHeader("Content-Length"));
        if (declared <= maxBytes) {
            rc.next();
            return;
        }
        Problem p = CommonProblem.PAYLOAD_TOO_LARGE.problem(
                "The request body has " + declared + " bytes; the limit is " + maxBytes + ".");
        rc.response().setStatusCode(p.status()).putHeader("Content-Type", Problem.MEDIA_TYPE)
                .putHeader("Connection", "close").end(Json.encode(p))
                .onComplete(done -> rc.request().connection().close());
    }

    /** The declared body length; -1 when absent or unreadable (the body reader bounds those). */
    static long declaredLength(String header) {
        if (header == null) {
            return -1;
        }
        try {
            return Long.parseLong(header.trim());
        } catch (NumberFormatException e) {
            return -1;
        }
    }
}
