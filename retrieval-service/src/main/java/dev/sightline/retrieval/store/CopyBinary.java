package dev.sightline.retrieval.store;

import java.nio.charset.StandardCharsets;
import java.util.Arrays;

/**
 * Rows in PostgreSQL's binary COPY format, built in memory: the header, then per row a field count and each field
 * as a 4-byte length (-1: NULL) and its type's binary form, then the trailer. Vectors use pgvector's binary forms
 * (int16 dimension, int16 zero, then big-endian float4 or float16 components), jsonb its version byte 1 and text.
 */
final class CopyBinary {

    private static final byte[] SIGNATURE = {'P', 'G', 'C', 'O', 'P', 'Y', '\n', (byte) 0xff, '\r', '\n', 0};

    private byte[] buf = new byte[1 << 16];
    private int len;

    CopyBinary() {
        bytes(SIGNATURE);
        int32(0); // flags: no OIDs
        int32(0); // header extension length
    }

    CopyBinary row(int fields) {
        int16(fields);
        return this;
    }

    CopyBinary nullField() {
        int32(-1);
        return this;
    }

    CopyBinary text(String s) {
        if (s == null) {
            return nullField();
        }
        byte[] b = s.getBytes(StandardCharsets.UTF_8);
        int32(b.length);
        bytes(b);
        return this;
    }

    CopyBinary jsonb(String json) {
        if (json == null) {
            return nullField();
        }
        byte[] b = json.getBytes(StandardCharsets.UTF_8);
        int32(b.length + 1);
        ensure(1);
        buf[len++] = 1;
        bytes(b);
        return this;
    }

    CopyBinary int64(Long v) {
        if (v == null) {
            return nullField();
        }
        int32(8);
        int32((int) (v >>> 32));
        int32((int) (long) v);
        return this;
    }

    CopyBinary vector(float[] v) {
        int32(4 + 4 * v.length);
        int16(v.length);
        int16(0);
        ensure(4 * v.length);
        for (float x : v) {
            int bits = Float.floatToIntBits(x);
            buf[len++] = (byte) (bits >>> 24);
            buf[len++] = (byte) (bits >>> 16);
            buf[len++] = (byte) (bits >>> 8);
            buf[len++] = (byte) bits;
        }
        return this;
    }

    CopyBinary halfvec(float[] v) {
        int32(4 + 2 * v.length);
        int16(v.length);
        int16(0);
        for (float x : v) {
            int16(Float16.bits(x));
        }
        return this;
    }

    /** The end-of-data marker; after it the buffer is complete. */
    CopyBinary trailer() {
        int16(-1);
        return this;
    }

    byte[] buffer() {
        return buf;
    }

    int length() {
        return len;
    }

    /** Forgets what was written (after it was sent), keeping the buffer. */
    void clear() {
        len = 0;
    }

    private void int16(int v) {
        ensure(2);
        buf[len++] = (byte) (v >>> 8);
        buf[len++] = (byte) v;
    }

    private void int32(int v) {
        ensure(4);
        buf[len++] = (byte) (v >>> 24);
        buf[len++] = (byte) (v >>> 16);
        buf[len++] = (byte) (v >>> 8);
        buf[len++] = (byte) v;
    }

    private void bytes(byte[] b) {
        ensure(b.length);
        System.arraycopy(b, 0, buf, len, b.length);
        len += b.length;
    }

    private void ensure(int more) {
        if (len + more > buf.length) {
            buf = Arrays.copyOf(buf, Math.max(buf.length * 2, len + more));
        }
    }
}
