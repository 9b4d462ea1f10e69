package dev.sightline.common.problem;

/** The meanings every Sightline service shares; each service adds only the codes that are its own. */
public enum CommonProblem implements ProblemCode {
    /** The body is not valid JSON, or a field has the wrong JSON type. */
    INVALID_JSON(400, "Invalid JSON"),
    /** A missing, unknown or out-of-range field, an invalid name or id. */
    INVALID_REQUEST(400, "Invalid request"),
    /** Nothing at this path (for this tenant). */
    NOT_FOUND(404, "Not found"),
    /** The path does not accept the method. */
    METHOD_NOT_ALLOWED(405, "Method not allowed"),
    /** The path cannot produce the requested media type. */
    NOT_ACCEPTABLE(406, "Not acceptable"),
    /** The resource exists in another shape (e.g. a collection with another dimension). */
    CONFLICT(409, "Conflict"),
    /** Body, item count, image, metadata or filter over a configured limit. */
    PAYLOAD_TOO_LARGE(413, "Payload too large"),
    /** A Content-Type, or an image format, that the operation does not accept. */
    UNSUPPORTED_MEDIA_TYPE(415, "Unsupported media type"),
    /** A dependency (a backend, the database) is unavailable; retrying later can succeed. */
    UNAVAILABLE(503, "Service unavailable", 1L),
    /** An unexpected failure; the answer names no internals. */
    INTERNAL(500, "Internal error");

    private final int status;
    private final String title;
    private final Long retryAfterSeconds;

    CommonProblem(int status, String title) {
        this(status, title, null);
    }

    CommonProblem(int status, String title, Long retryAfterSeconds) {
        this.status = status;
        this.title = title;
        this.retryAfterSeconds = retryAfterSeconds;
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
        return retryAfterSeconds;
    }

    /** The code of a framework-level HTTP status, or INTERNAL for one that has no meaning of its own here. */
    public static CommonProblem ofStatus(int status) {
        for (CommonProblem c : values()) {
            if (c.status == status && c != INVALID_JSON) {
                return c;
            }
        }
        return status >= 500 ? INTERNAL : INVALID_REQUEST;
    }
}
