package dev.sightline.retrieval.store;

import dev.sightline.common.problem.CommonProblem;
import dev.sightline.common.problem.ProblemException;
import dev.sightline.common.vector.Vectors;
import dev.sightline.retrieval.Collection;
import dev.sightline.retrieval.Precision;


/** pgvector's text form of vectors, and the checks every stored or queried vector passes. */
public final class PgVectors {

    private PgVectors() {
    }

    /** Throws unless the vector has the dimension, only finite components and is not all zeros. */
    public static void check(float[] v, int dimension, String what) {
        Vectors.dimension(v, dimension, what);
        Vectors.values(v, what, "has a NaN or infinite component");
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
                    throw new ProblemException(CommonProblem.INVALID_VECTOR, what + " has a component beyond the"
                            + " float16 range (±" + (int) Float16.MAX + ") of this collection.");
                }
                nonZero |= (Float16.bits(x) & 0x7fff) != 0;
            }
            if (!nonZero) {
                throw new ProblemException(CommonProblem.INVALID_VECTOR, what + " is all zeros in float16;"
                        + " cosine is undefined.");
            }
        }
    }

    /**
     * The literal pgvector parses (vector and halfvec alike), with every component as a C99 hexadecimal float
     * ({@code [0x1.8p0,-0x1.99999ap-4,0]}): pgvector reads components with strtof, which takes that form exactly, and
     * writing it is a few bit operations per component where {@code Float.toString} costs about 70 ns (34 µs for a
     * 512-d query, on every search). Components must be finite.
     */
    public static String format(float[] v) {
        // At most 16 characters per component (-0x1.xxxxxxp-126) and a separator: filled directly, no StringBuilder.
        char[] out = new char[v.length * 17 + 2];
        int n = 0;
        out[n++] = '[';
        for (int i = 0; i < v.length; i++) {
            if (i > 0) {
                out[n++] = ',';
            }
            n = appendHex(out, n, v[i]);
        }
        out[n++] = ']';
        return new String(out, 0, n);
    }

    private static final char[] HEX = "0123456789abcdef".toCharArray();

    /** Writes {@code f} at {@code out[n]}; the index after it. */
    static int appendHex(char[] out, int n, float f) {
        int bits = Float.floatToRawIntBits(f);
        if (bits < 0) {
            out[n++] = '-';
        }
        int exponent = (bits >>> 23) & 0xff;
        int mantissa = bits & 0x7f_ffff;
        if (exponent == 0 && mantissa == 0) {
            out[n++] = '0';
            return n;
        }
        // 0x1.<23 bits as 6 hex digits>p<exponent>; a subnormal is 0x0.<…>p-126.
        out[n++] = '0';
        out[n++] = 'x';
        out[n++] = exponent == 0 ? '0' : '1';
        out[n++] = '.';
        int m = mantissa << 1;
        for (int shift = 20; shift >= 0; shift -= 4) {
            out[n++] = HEX[(m >>> shift) & 0xf];
        }
        out[n++] = 'p';
        int e = exponent == 0 ? -126 : exponent - 127;
        if (e < 0) {
            out[n++] = '-';
            e = -e;
        }
        if (e >= 100) {
            out[n++] = (char) ('0' + e / 100);
        }
        if (e >= 10) {
            out[n++] = (char) ('0' + e / 10 % 10);
        }
        out[n++] = (char) ('0' + e % 10);
        return n;
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
