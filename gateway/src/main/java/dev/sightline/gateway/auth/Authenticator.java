package dev.sightline.gateway.auth;

import dev.sightline.common.problem.CommonProblem;
import dev.sightline.common.problem.ProblemException;
import dev.sightline.gateway.GatewayProblem;
import io.vertx.core.Handler;
import io.vertx.ext.web.RoutingContext;
import jakarta.enterprise.context.ApplicationScoped;

/**
 * The API key check and the key's rate limit, as one route handler: it puts the key's tenant on the routing
 * context, or fails the request with 401 or 429 (the router's failure handler writes the problem).
 */
@ApplicationScoped
public class Authenticator implements Handler<RoutingContext> {

    /** Where the authenticated tenant is kept on the routing context. */
    private static final String TENANT = "sightline.tenant";

    private final ApiKeys keys;
    private final RateLimiter limiter;

    public Authenticator(ApiKeys keys, RateLimiter limiter) {
        this.keys = keys;
        this.limiter = limiter;
    }

    @Override
    public void handle(RoutingContext rc) {
        String key = bearer(rc.request().getHeader("Authorization"));
        if (key == null) {
            rc.fail(new ProblemException(CommonProblem.UNAUTHORIZED, "Send an API key: Authorization: Bearer <key>."));
            return;
        }
        String tenant = keys.tenantOf(key).orElse(null);
        if (tenant == null) {
            rc.fail(new ProblemException(CommonProblem.UNAUTHORIZED, "Unknown API key."));
            return;
        }
        long wait = limiter.acquire(ApiKeys.hash(key));
        if (wait > 0) {
            rc.fail(new ProblemException(GatewayProblem.RATE_LIMITED,
                    "Rate limit of this API key exceeded; retry in " + wait + " s.", wait));
            return;
        }
        rc.put(TENANT, tenant);
        rc.next();
    }

    /** The key of an "Authorization: Bearer KEY" header, or null. */
    static String bearer(String authorization) {
        if (authorization == null || authorization.length() < 8
                || !authorization.regionMatches(true, 0, "Bearer ", 0, 7)) {
            return null;
        }
        String key = authorization.substring(7).strip();
        return key.isEmpty() ? null : key;
    }

    /** The tenant of an authenticated request. */
    public static String tenant(RoutingContext rc) {
        return rc.get(TENANT);
    }
}
