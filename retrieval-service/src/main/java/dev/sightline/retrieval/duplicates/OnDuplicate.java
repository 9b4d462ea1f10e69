package dev.sightline.retrieval.duplicates;

import dev.sightline.common.problem.CommonProblem;
import dev.sightline.common.problem.ProblemException;
import java.util.Locale;

/** What an upsert does with an item that duplicates one the collection holds (or an earlier item of the request). */
public enum OnDuplicate {
    /** Stored anyway; the answer names the item it duplicates. */
    KEEP,
    /** Not stored. */
    SKIP,
    /** Stored, and the item it duplicates is deleted. */
    REPLACE;

    public String wire() {
        return name().toLowerCase(Locale.ROOT);
    }

    /** The value of {@code on_duplicate}; null when absent. */
    public static OnDuplicate of(String s) {
        if (s == null) {
            return null;
        }
        for (OnDuplicate o : values()) {
            if (o.wire().equals(s)) {
                return o;
            }
        }
        throw new ProblemException(CommonProblem.INVALID_REQUEST, "on_duplicate must be keep, skip or replace.");
    }
}
