package dev.sightline.retrieval;

import com.fasterxml.jackson.annotation.JsonValue;
import dev.sightline.common.problem.CommonProblem;
import dev.sightline.common.problem.ProblemException;

/**
 * How a collection stores and indexes its vectors, chosen at creation: 4-byte floats (pgvector {@code vector}) or
 * 2-byte floats (pgvector {@code halfvec}: half the table and index, the same recall on CLIP-like vectors).
 * Clients always send and receive 32-bit floats.
 */
public enum Precision {
    FLOAT32, FLOAT16;

    @JsonValue
    public String wire() {
        return name().toLowerCase();
    }

    /** Parses "float32" or "float16"; null is the default, float32. */
    public static Precision of(String s) {
        if (s == null || "float32".equals(s)) {
            return FLOAT32;
        }
        if ("float16".equals(s)) {
            return FLOAT16;
        }
        throw new ProblemException(CommonProblem.INVALID_REQUEST, "precision must be float32 or float16.");
    }
}
