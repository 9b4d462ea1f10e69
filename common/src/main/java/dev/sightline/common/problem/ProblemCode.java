package dev.sightline.common.problem;

/** A service's error code: its HTTP status and title; the problem type URI is derived from the name. */
public interface ProblemCode {

    String name();

    int status();

    String title();

    /** The problem type URI, stable across releases: TYPE_BASE + the name in kebab case. */
    default String type() {
        return Problem.TYPE_BASE + name().toLowerCase().replace('_', '-');
    }

    /** The problem details of this code with a detail text. */
    default Problem problem(String detail) {
        return new Problem(type(), title(), status(), detail, null, null);
    }
}
