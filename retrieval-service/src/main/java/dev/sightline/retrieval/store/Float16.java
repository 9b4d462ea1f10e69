package dev.sightline.retrieval.store;

/**
 * IEEE 754 binary16 from float32, rounded to nearest, ties to even: what pgvector's halfvec input does with a
 * float, so a vector sent in binary (COPY) is stored bit for bit as the same vector sent as text. Java 17 has no
 * {@code Float.floatToFloat16} (it came in 20).
 */
public final class Float16 {

    /** The largest finite half, 65504; anything that rounds above it overflows. */
    public static final float MAX = 65504f;

    private Float16() {
    }

    /** The half's bits; the value must be finite and round to at most {@link #MAX} in magnitude. */
    public static short bits(float f) {
        int x = Float.floatToRawIntBits(f);
        int sign = (x >>> 16) & 0x8000;
        int exponent = ((x >>> 23) & 0xff) - 127 + 15;
        int mantissa = x & 0x7f_ffff;
        if (exponent >= 0x1f) {
            throw new IllegalArgumentException("out of the float16 range: " + f);
        }
        int h;
        int rest;
        int halfway;
        if (exponent <= 0) {
            // A subnormal half (or zero): the implicit bit joins the mantissa, shifted to a unit of 2^-24.
            if (exponent < -10) {
                return (short) sign;
            }
            mantissa |= 0x80_0000;
            int shift = 14 - exponent;
            h = sign | (mantissa >>> shift);
            rest = mantissa & ((1 << shift) - 1);
            halfway = 1 << (shift - 1);
        } else {
            h = sign | (exponent << 10) | (mantissa >>> 13);
            rest = mantissa & 0x1fff;
            halfway = 0x1000;
        }
        if (rest > halfway || rest == halfway && (h & 1) == 1) {
            h++; // a carry out of the mantissa correctly steps the exponent
        }
        if ((h & 0x7fff) >= 0x7c00) {
            throw new IllegalArgumentException("out of the float16 range: " + f);
        }
        return (short) h;
    }

    /** The float32 value of a half. */
    public static float value(short bits) {
        int h = bits & 0xffff;
        int sign = (h & 0x8000) << 16;
        int exponent = (h >>> 10) & 0x1f;
        int mantissa = h & 0x3ff;
        if (exponent == 0) {
            return Float.intBitsToFloat(sign) + (sign != 0 ? -1 : 1) * mantissa * 0x1p-24f;
        }
        if (exponent == 0x1f) {
            return Float.intBitsToFloat(sign | 0x7f80_0000 | (mantissa << 13));
        }
        return Float.intBitsToFloat(sign | ((exponent - 15 + 127) << 23) | (mantissa << 13));
    }
}
