package dev.sightline.gateway;

import dev.sightline.common.problem.ProblemCode;
import java.util.List;

/**
 * The ways a public request fails on the gateway's own account; shared meanings (unauthorized, invalid request,
 * not found, payload too large, unavailable, …) are {@link dev.sightline.common.problem.CommonProblem}.
 */
public final class GatewayProblem {

    /** The request body did not arrive, or could not be parsed, within the configured time. */
    public static final ProblemCode REQUEST_TIMEOUT = ProblemCode.of("request-timeout", 408, "Request timeout");
    /** The key's rate limit is exhausted; the exception carries the actual wait. */
    public static final ProblemCode RATE_LIMITED = ProblemCode.transientFor("rate-limited", 429, "Too many requests", 1);

    /** An item a collection's moderation policy rejects; nothing of the request is stored. */
    public static final ProblemCode MODERATION_REJECTED = ProblemCode.of("moderation-rejected", 422,
            "Rejected by moderation");

    private GatewayProblem() {
    }

    /** Every gateway code. */
    public static List<ProblemCode> all() {
        return List.of(REQUEST_TIMEOUT, RATE_LIMITED, MODERATION_REJECTED);
    }
}
