package dev.sightline.common.query;

import dev.sightline.common.problem.CommonProblem;
import dev.sightline.common.problem.ProblemException;

/**
 * A boolean query parameter as the public API takes it ({@code ?more=true}): {@code true}, {@code false} or absent
 * (false). Anything else is refused (400) rather than read as false, so that a typo such as {@code ?more=yes} cannot
 * silently change what a request does.
 */
public final class QueryFlag {

    private QueryFlag() {
    }

    /** The flag's value; throws {@link CommonProblem#INVALID_REQUEST} for anything but true, false or absent. */
    public static boolean of(String name, String value) {
        if (value == null || value.equals("false")) {
            return false;
        }
        if (value.equals("true")) {
            return true;
        }
        throw new ProblemException(CommonProblem.INVALID_REQUEST, name + " must be true or false.");
    }
}
