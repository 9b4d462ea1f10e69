package dev.sightline.gateway;

import dev.sightline.common.problem.ProblemCode;

/**
 * The ways a public request fails on the gateway's own account; shared meanings (invalid request, not found,
 * payload too large, unavailable, …) are {@link dev.sightline.common.problem.CommonProblem}.
 */
public enum GatewayProblem implements ProblemCode {
    /** Missing or unknown API key. */
    UNAUTHORIZED(401, "Unauthorized"),
    /** The key's rate limit is exhausted; the exception carries the wait. */
    RATE_LIMITED(429, "Too many requests");

    private final int status;
    private final String title;

    GatewayProblem(int status, String title) {
        this.status = status;
        this.title = title;
    }

    @Override
    public int status() {
        return status;
    }

    @Override
    public String title() {
        return title;
    }

    @Override
    public Long retryAfterSeconds() {
        return this == RATE_LIMITED ? 1L : null;
    }
}
