package dev.sightline.common.rest;

import dev.sightline.common.internal.InternalConfig;
import dev.sightline.common.internal.InternalToken;
import dev.sightline.common.problem.CommonProblem;
import dev.sightline.common.problem.Problem;
import io.quarkus.vertx.http.runtime.filters.Filters;
import io.vertx.core.json.Json;
import io.vertx.ext.web.RoutingContext;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;

/**
 * The internal services answer only callers that carry the internal token (the gateway, or an operator with
 * {@code .sightline/internal-token}); anything else gets 401 before routing, before one body byte is read, and
 * the connection is closed. Health probes and metrics (no tenant data) stay open for the orchestrator. Only after
 * this check is the tenant header believed.
 */
@ApplicationScoped
public class InternalAuthFilter {

    /** Before the request-size filter (100) and everything else. */
    static final int PRIORITY = 200;

    private final InternalToken token;

    public InternalAuthFilter(InternalConfig config) {
        this.token = new InternalToken(config.token());
    }

    void register(@Observes Filters filters) {
        filters.register(this::check, PRIORITY);
    }

    void check(RoutingContext rc) {
        String path = rc.normalizedPath();
        if (path.equals("/q/health") || path.startsWith("/q/health/") || path.equals("/q/metrics") || token.accepts(rc.request().getHeader("Authorization"))) {
            rc.next();
            return;
        }
        Problem p = CommonProblem.UNAUTHORIZED.problem("This is an internal service: send the internal token "
                + "(Authorization: Bearer <token>).");
        rc.response().setStatusCode(p.status()).putHeader("Content-Type", Problem.MEDIA_TYPE)
                .putHeader("WWW-Authenticate", "Bearer").putHeader("Connection", "close").end(Json.encode(p))
                .onComplete(done -> rc.request().connection().close());
    }
}
