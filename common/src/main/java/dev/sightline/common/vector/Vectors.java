package dev.sightline.common.vector;

import dev.sightline.common.problem.CommonProblem;
import dev.sightline.common.problem.ProblemException;

/**
 * The checks a vector sent to be stored or searched passes wherever it is first seen (the gateway's bulk lines,
 * retrieval-service's requests), with one wording: {@code what} names it ("items[3].vector", "line 7: vector").
 */
public final class Vectors {

    private Vectors() {
    }

    /** {@code dimension-mismatch} unless the vector has the collection's dimension. */
    public static void dimension(float[] v, int dimension, String what) {
        if (v == null || v.length != dimension) {
            throw new ProblemException(CommonProblem.DIMENSION_MISMATCH, what + " has " + (v == null ? 0 : v.length)
                    + " dimensions; the collection has " + dimension + ".");
        }
    }

    /**
     * {@code invalid-vector} for a non-finite component (the detail says {@code what} and {@code nonFinite}, the
     * caller's reason: a NaN sent as a float, a JSON number beyond float32) or an all-zero vector (cosine undefined).
     */
    public static void values(float[] v, String what, String nonFinite) {
        boolean nonZero = false;
        for (float x : v) {
            if (!Float.isFinite(x)) {
                throw new ProblemException(CommonProblem.INVALID_VECTOR, what + " " + nonFinite + ".");
            }
            nonZero |= x != 0f;
        }
        if (!nonZero) {
            throw new ProblemException(CommonProblem.INVALID_VECTOR, what + " is all zeros; cosine is undefined.");
        }
    }
}
