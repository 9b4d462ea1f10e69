package dev.sightline.retrieval.store;

import dev.sightline.common.problem.ProblemException;
import dev.sightline.retrieval.Collection;
import dev.sightline.retrieval.Precision;
import dev.sightline.retrieval.RetrievalProblem;


/** pgvector's text form of vectors, and the checks every stored or queried vector passes. */
public final class PgVectors {

    private PgVectors() {
    }

    /** Throws unless the vector has the dimension, only finite components and is not all zeros. */
    public static void check(float[] v, int dimension, String what) {
        if (v == null || v.length != dimension) {
            throw new ProblemException(RetrievalProblem.DIMENSION_MISMATCH, what + " has " + (v == null ? 0 : v.length)
                    + " dimensions; the collection has " + dimension + ".");
        }
        boolean nonZero = false;
        for (float x : v) {
            if (!Float.isFinite(x)) {
                throw new ProblemException(RetrievalProblem.INVALID_VECTOR, what + " has a NaN or infinite component.");
            }
            nonZero |= x != 0f;
        }
        if (!nonZero) {
            throw new ProblemException(RetrievalProblem.INVALID_VECTOR, what + " is all zeros; cosine is undefined.");
        }
    }

    /**
     * {@link #check(float[], int, String)} against the collection's dimension and, for a float16 collection, its
     * range: every component within ±65504 once rounded, and not all of them rounding to zero.
     */
    public static void check(float[] v, Collection c, String what) {
        check(v, c.dimension(), what);
        if (c.precision() == Precision.FLOAT16) {
            boolean nonZero = false;
            for (float x : v) {
                if (Math.abs(x) >= 65520f) {
                    throw new ProblemException(RetrievalProblem.INVALID_VECTOR, what + " has a component beyond the"
                            + " float16 range (±" + (int) Float16.MAX + ") of this collection.");
                }
                nonZero |= (Float16.bits(x) & 0x7fff) != 0;
            }
            if (!nonZero) {
                throw new ProblemException(RetrievalProblem.INVALID_VECTOR, what + " is all zeros in float16;"
                        + " cosine is undefined.");
            }
        }
    }

    /** '[1.0,2.5,…]', the literal pgvector parses; Float.toString round-trips float32 exactly. */
    public static String format(float[] v) {
        StringBuilder sb = new StringBuilder(v.length * 12);
        sb.append('[');
        for (int i = 0; i < v.length; i++) {
            if (i > 0) {
                sb.append(',');
            }
            sb.append(v[i]);
        }
        return sb.append(']').toString();
    }

    public static float[] parse(String text) {
        String body = text.substring(1, text.length() - 1);
        if (body.isEmpty()) {
            return new float[0];
        }
        String[] parts = body.split(",");
        float[] v = new float[parts.length];
        for (int i = 0; i < parts.length; i++) {
            v[i] = Float.parseFloat(parts[i]);
        }
        return v;
    }
}
