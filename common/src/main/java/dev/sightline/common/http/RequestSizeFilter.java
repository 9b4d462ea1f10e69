package dev.sightline.common.http;

import dev.sightline.common.problem.CommonProblem;
import dev.sightline.common.problem.Problem;
import io.quarkus.runtime.configuration.MemorySize;
import io.quarkus.vertx.http.runtime.filters.Filters;
import io.vertx.core.json.Json;
import io.vertx.ext.web.RoutingContext;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import java.util.Optional;
import org.eclipse.microprofile.config.inject.ConfigProperty;

/**
 * Answers 413 to a request whose declared Content-Length exceeds the service's body limit, before one body byte
 * is read, and closes the connection (the unread body would follow on it). Two limits: bulk routes (paths ending in
 * {@code /bulk}) may send up to {@code quarkus.http.limits.max-body-size}, the server's hard limit, at which Vert.x
 * also cuts bodies without a length (chunked); every other route up to {@code sightline.http.max-body-size}
 * (absent: the hard limit). Each service sets both from its own {@code limits} keys.
 */
@ApplicationScoped
public class RequestSizeFilter {

    /** Runs before routing and body handling. */
    static final int PRIORITY = 100;

    private final long maxBytes;
    private final long bulkMaxBytes;

    public RequestSizeFilter(
            @ConfigProperty(name = "quarkus.http.limits.max-body-size", defaultValue = "10240K") MemorySize hardMax,
            @ConfigProperty(name = "sightline.http.max-body-size") Optional<MemorySize> max) {
        this.bulkMaxBytes = hardMax.asLongValue();
        this.maxBytes = Math.min(bulkMaxBytes, max.map(MemorySize::asLongValue).orElse(bulkMaxBytes));
    }

    void register(@Observes Filters filters) {
        filters.register(this::check, PRIORITY);
    }

    /** The limit in bytes of every route but the bulk ones. */
    public long maxBytes() {
        return maxBytes;
    }

    /** The limit in bytes of bulk routes. */
    public long bulkMaxBytes() {
        return bulkMaxBytes;
    }

    /** The limit of a request path. */
    public long maxBytes(String path) {
        return path != null && path.endsWith("/bulk") ? bulkMaxBytes : maxBytes;
    }

    void check(RoutingContext rc) {
        long declared = declaredLength(rc.request().getHeader("Content-Length"));
        long limit = maxBytes(rc.request().path());
        if (declared <= limit) {
            rc.next();
            return;
        }
        refuse(rc, "The request body has " + declared + " bytes; the limit is " + limit + ".");
    }

    /**
     * Answers 413 {@code payload-too-large} with the detail and closes the connection: the rest of the body may
     * still be on it.
     */
    public static void refuse(RoutingContext rc, String detail) {
        Problem p = CommonProblem.PAYLOAD_TOO_LARGE.problem(detail);
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
