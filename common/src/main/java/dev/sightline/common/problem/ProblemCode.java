package dev.sightline.common.problem;

/**
 * One meaning of a failed request: its stable type slug, HTTP status, title and, for transient conditions, the
 * Retry-After a client should honour. One meaning has one code, and so one type, on every service.
 *
 * @param slug the last segment of the type URI, e.g. {@code payload-too-large}
 * @param retryAfterSeconds seconds a client should wait before retrying, or null when retrying cannot help
 */
public record ProblemCode(String slug, int status, String title, Long retryAfterSeconds) {

    /** A code that retrying the same request cannot cure. */
    public static ProblemCode of(String slug, int status, String title) {
        return new ProblemCode(slug, status, title, null);
    }

    /** A transient code: the same request may succeed after {@code retryAfterSeconds}. */
    public static ProblemCode transientFor(String slug, int status, String title, long retryAfterSeconds) {
        return new ProblemCode(slug, status, title, retryAfterSeconds);
    }

    /** The problem type URI, stable across releases. */
    public String type() {
        return Problem.TYPE_BASE + slug;
    }

    /** The problem details of this code with a detail text. */
    public Problem problem(String detail) {
        return new Problem(type(), title, status, detail, null, null);
    }
}
