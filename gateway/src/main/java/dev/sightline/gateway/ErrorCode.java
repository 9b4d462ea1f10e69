package dev.sightline.gateway;

import dev.sightline.common.problem.ProblemCode;

/** Every way a gateway request can fail on the gateway's own account, with its HTTP status and title. */
public enum ErrorCode implements ProblemCode {
    /** The request is malformed or violates the contract. */
    INVALID_REQUEST(400, "Invalid request"),
    /** Missing or unknown API key. */
    UNAUTHORIZED(401, "Unauthorized"),
    /** Nothing at this path for this tenant. */
    NOT_FOUND(404, "Not found"),
    /** Body or item counts over the limits. */
    PAYLOAD_TOO_LARGE(413, "Payload too large"),
    /** Wrong Content-Type. */
    UNSUPPORTED_MEDIA_TYPE(415, "Unsupported media type"),
    /** The key's rate limit is exhausted. */
    RATE_LIMITED(429, "Too many requests"),
    /** A backend is down, slow or failing; retry later. */
    UNAVAILABLE(503, "Service unavailable"),
    /** An unexpected failure inside the gateway. */
    INTERNAL(500, "Internal error");

    private final int status;
    private final String title;

    ErrorCode(int status, String title) {
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
}
