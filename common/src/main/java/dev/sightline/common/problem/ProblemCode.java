package dev.sightline.common.problem;

/**
 * One meaning of a failed request: its HTTP status, title and, for transient conditions, the Retry-After a client
 * should honour. The problem type URI is derived from the name, so one meaning has one type on every service.
 */
public interface ProblemCode {

    String name();

    int status();

    String title();

    /** Seconds a client should wait before retrying, or null when retrying the same request cannot help. */
    default Long retryAfterSeconds() {
        return null;
    }

    /** The problem type URI, stable across releases: TYPE_BASE + the name in kebab case. */
    default String type() {
        return Problem.TYPE_BASE + name().toLowerCase().replace('_', '-');
    }

    /** The problem details of this code with a detail text. */
    default Problem problem(String detail) {
        return new Problem(type(), title(), status(), detail, null, null);
    }
}
