package dev.sightline.common.ndjson;

import ch.randelshofer.fastdoubleparser.JavaFloatParser;
import java.util.Arrays;

/**
 * One NDJSON item line split into its {@code "vector"} member, parsed here to floats straight from the bytes, and
 * every other member, left as JSON text for the caller's mapper. A 512-d vector is 95 % of a line's bytes, and a
 * general JSON parser spends most of a bulk load's CPU copying each number into a text buffer before converting it;
 * this reads each number once.
 *
 * <p>Only the plain shape is taken: a top-level object whose keys have no escapes, with one {@code "vector"} that
 * is an array of JSON numbers. Anything else — another shape, a syntax error, a duplicate {@code "vector"} — gives
 * {@code null}, and the caller parses the whole line with its general parser instead, so that what is accepted,
 * refused and said about it does not depend on this path. Numbers are checked against JSON's grammar and converted
 * to the nearest float (FastDoubleParser, correctly rounded, as {@code Float.parseFloat}).
 */
public final class VectorLine {

    private static final byte[] KEY = {'v', 'e', 'c', 't', 'o', 'r'};
    /** 10^0 … 10^22: the powers of ten that are exact doubles. */
    private static final double[] POW10 = new double[23];
    /** The 29 bits a double has below a float's precision, and their value exactly halfway between two floats. */
    private static final long HALF_MASK = (1L << 29) - 1;
    private static final long HALF = 1L << 28;

    static {
        double p = 1;
        for (int k = 0; k < POW10.length; k++) {
            POW10[k] = p;
            p *= 10;
        }
    }

    /** Jackson's default StreamReadConstraints refuse longer numbers; such a line goes to the general parser. */
    private static final int MAX_NUMBER_CHARS = 1000;

    private final float[] vector;
    private final byte[] rest;

    private VectorLine(float[] vector, byte[] rest) {
        this.vector = vector;
        this.rest = rest;
    }

    /** The vector's components. */
    public float[] vector() {
        return vector;
    }

    /** The line's other members as one JSON object ({@code {}} when there are none). */
    public byte[] rest() {
        return rest;
    }

    /**
     * Splits {@code b[from, to)}; null when the line is not of the plain shape.
     *
     * @param expected the usual number of components (the array grows past it)
     */
    public static VectorLine split(byte[] b, int from, int to, int expected) {
        return new Splitter(b, from, to).run(Math.max(expected, 1));
    }

    private static final class Splitter {
        private final byte[] b;
        private final int to;
        private int i;
        private float value;

        Splitter(byte[] b, int from, int to) {
            this.b = b;
            this.i = from;
            this.to = to;
        }

        VectorLine run(int expected) {
            ws();
            if (!eat('{')) {
                return null;
            }
            float[] vector = null;
            byte[] rest = new byte[128];
            int r = 0;
            rest[r++] = '{';
            ws();
            if (!eat('}')) {
                while (true) {
                    int memberStart = i;
                    int keyEnd = key();
                    if (keyEnd < 0) {
                        return null;
                    }
                    boolean isVector = keyEnd - memberStart - 2 == KEY.length
                            && Arrays.equals(b, memberStart + 1, keyEnd - 1, KEY, 0, KEY.length);
                    ws();
                    if (!eat(':')) {
                        return null;
                    }
                    ws();
                    if (isVector) {
                        if (vector != null) {
                            return null; // duplicate: the general parser decides
                        }
                        vector = numbers(expected);
                        if (vector == null) {
                            return null;
                        }
                    } else {
                        if (!skipValue()) {
                            return null;
                        }
                        if (rest.length < r + (i - memberStart) + 2) {
                            rest = Arrays.copyOf(rest, Math.max(rest.length * 2, r + (i - memberStart) + 2));
                        }
                        if (r > 1) {
                            rest[r++] = ',';
                        }
                        System.arraycopy(b, memberStart, rest, r, i - memberStart);
                        r += i - memberStart;
                    }
                    ws();
                    if (eat('}')) {
                        break;
                    }
                    if (!eat(',')) {
                        return null;
                    }
                    ws();
                }
            }
            ws();
            if (i != to || vector == null) {
                return null;
            }
            rest[r++] = '}';
            return new VectorLine(vector, Arrays.copyOf(rest, r));
        }

        /** A key without escapes, from its opening quote; the index after its closing quote, or -1. */
        private int key() {
            if (!eat('"')) {
                return -1;
            }
            while (i < to) {
                byte c = b[i++];
                if (c == '"') {
                    return i;
                }
                if (c == '\\' || (c & 0xff) < 0x20) {
                    return -1;
                }
            }
            return -1;
        }

        /** An array of JSON numbers as floats, or null. */
        private float[] numbers(int expected) {
            if (!eat('[')) {
                return null;
            }
            float[] v = new float[expected];
            int n = 0;
            ws();
            if (eat(']')) {
                return new float[0];
            }
            while (true) {
                if (!number()) {
                    return null;
                }
                if (n == v.length) {
                    v = Arrays.copyOf(v, v.length * 2);
                }
                v[n++] = value;
                ws();
                if (eat(']')) {
                    return n == v.length ? v : Arrays.copyOf(v, n);
                }
                if (!eat(',')) {
                    return null;
                }
                ws();
            }
        }

        /**
         * One JSON number, -?(0|[1-9][0-9]*)(\.[0-9]+)?([eE][+-]?[0-9]+)?, into {@link #value}; false when the text
         * is not one. Up to 15 significant digits and a power of ten within ±22 (what Float.toString and most
         * writers of floats produce) take Clinger's fast path: both are exact doubles, so their product or quotient is
         * the correctly rounded double, and rounding it to float is exact unless it lies exactly halfway between two
         * floats. Every other number goes to FastDoubleParser.
         */
        private boolean number() {
            final byte[] b = this.b;
            final int to = this.to;
            final int s = i;
            int p = s;
            boolean negative = p < to && b[p] == '-';
            if (negative) {
                p++;
            }
            long mantissa = 0;
            int significant = 0;
            int exponent = 0;
            if (p < to && b[p] == '0') {
                p++; // a leading zero stands alone
            } else {
                int intStart = p;
                for (int d; p < to && (d = b[p] - '0') >= 0 && d <= 9; p++) {
                    if (significant < 19) {
                        mantissa = mantissa * 10 + d;
                    } else {
                        exponent++;
                    }
                    significant++;
                }
                if (p == intStart) {
                    return false;
                }
            }
            boolean integer = true;
            if (p < to && b[p] == '.') {
                integer = false;
                int fracStart = ++p;
                for (int d; p < to && (d = b[p] - '0') >= 0 && d <= 9; p++) {
                    if (significant < 19) {
                        if (mantissa != 0 || d != 0) {
                            significant++;
                        }
                        mantissa = mantissa * 10 + d;
                        exponent--;
                    } else {
                        significant++;
                    }
                }
                if (p == fracStart) {
                    return false;
                }
            }
            if (p < to && (b[p] == 'e' || b[p] == 'E')) {
                integer = false;
                p++;
                boolean negativeExponent = false;
                if (p < to && (b[p] == '+' || b[p] == '-')) {
                    negativeExponent = b[p++] == '-';
                }
                int expStart = p;
                int e = 0;
                for (int d; p < to && (d = b[p] - '0') >= 0 && d <= 9; p++) {
                    if (e < 100_000) {
                        e = e * 10 + d;
                    }
                }
                if (p == expStart) {
                    return false;
                }
                exponent += negativeExponent ? -e : e;
            }
            i = p;
            if (p - s > MAX_NUMBER_CHARS) {
                return false;
            }
            if (mantissa == 0 && significant <= 19) {
                // Jackson reads the integer -0 as the int 0, so +0.0 (the decimal -0.0 stays -0.0).
                value = negative && !integer ? -0f : 0f;
                return true;
            }
            if (significant <= 15 && exponent >= -22 && exponent <= 22) {
                double d = exponent >= 0 ? mantissa * POW10[exponent] : mantissa / POW10[-exponent];
                long bits = Double.doubleToRawLongBits(d);
                if (d >= Float.MIN_NORMAL && d <= Float.MAX_VALUE && (bits & HALF_MASK) != HALF) {
                    value = negative ? -(float) d : (float) d;
                    return true;
                }
            }
            value = JavaFloatParser.parseFloat(b, s, p - s);
            return true;
        }

        /**
         * Past one value of any kind, without judging its content (the caller's parser reads it): strings end at
         * their unescaped closing quote, objects and arrays at their matching bracket, anything else before the next
         * delimiter. False when it does not end on this line.
         */
        private boolean skipValue() {
            int depth = 0;
            do {
                if (i >= to) {
                    return false;
                }
                byte c = b[i];
                if (c == '"') {
                    i++;
                    while (true) {
                        if (i >= to) {
                            return false;
                        }
                        byte s = b[i++];
                        if (s == '\\') {
                            i++;
                        } else if (s == '"') {
                            break;
                        }
                    }
                } else if (c == '{' || c == '[') {
                    depth++;
                    i++;
                } else if (c == '}' || c == ']') {
                    if (depth == 0) {
                        return false;
                    }
                    depth--;
                    i++;
                } else if (depth == 0) {
                    int s = i;
                    while (i < to && b[i] != ',' && b[i] != '}' && b[i] != ']' && !space(b[i])) {
                        i++;
                    }
                    return i > s;
                } else {
                    i++;
                }
            } while (depth > 0);
            return true;
        }

        private void ws() {
            while (i < to && space(b[i])) {
                i++;
            }
        }

        private static boolean space(byte c) {
            return c == ' ' || c == '\t' || c == '\r' || c == '\n';
        }

        private boolean eat(char c) {
            if (i < to && b[i] == c) {
                i++;
                return true;
            }
            return false;
        }
    }
}
