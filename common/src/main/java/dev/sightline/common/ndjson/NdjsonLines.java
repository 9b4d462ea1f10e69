package dev.sightline.common.ndjson;

import java.io.IOException;
import java.io.InputStream;

/**
 * The lines of a newline-delimited body, read as byte ranges of one reused buffer: no line is copied or decoded
 * here. A line ends at {@code \n} (a {@code \r} before it stays in the line; JSON takes it as white space). Lines
 * longer than the limit are refused before they are buffered whole.
 */
public final class NdjsonLines {

    /** A line longer than {@link #maxLineBytes}. */
    public static final class LineTooLong extends IOException {
        private final int line;

        LineTooLong(int line, int max) {
            super("line " + line + " is longer than " + max + " bytes.");
            this.line = line;
        }

        /** The line's number, from 1. */
        public int line() {
            return line;
        }
    }

    private static final int READ = 1 << 16;

    private final InputStream in;
    private final int maxLineBytes;
    private byte[] buf = new byte[READ];
    private int start; // first byte of the unread part
    private int end; // one past the last byte read
    private int scanned; // bytes from start known to hold no '\n'
    private boolean eof;
    private int number;
    private int lineStart;
    private int lineEnd;

    public NdjsonLines(InputStream in, int maxLineBytes) {
        this.in = in;
        this.maxLineBytes = maxLineBytes;
    }

    /** Moves to the next line; false at the end of the body. */
    public boolean next() throws IOException {
        while (true) {
            for (int i = start + scanned; i < end; i++) {
                if (buf[i] == '\n') {
                    return take(i, i + 1);
                }
            }
            scanned = end - start;
            if (scanned > maxLineBytes) {
                throw new LineTooLong(number + 1, maxLineBytes);
            }
            if (eof) {
                return start < end && take(end, end);
            }
            fill();
        }
    }

    private boolean take(int to, int next) throws LineTooLong {
        if (to - start > maxLineBytes) {
            throw new LineTooLong(number + 1, maxLineBytes);
        }
        number++;
        lineStart = start;
        lineEnd = to;
        start = next;
        scanned = 0;
        return true;
    }

    private void fill() throws IOException {
        if (start > 0 && (end == buf.length || start >= buf.length / 2)) {
            System.arraycopy(buf, start, buf, 0, end - start);
            end -= start;
            start = 0;
        }
        if (end == buf.length) {
            byte[] bigger = new byte[(int) Math.min((long) buf.length * 2, (long) maxLineBytes + READ + 1)];
            System.arraycopy(buf, 0, bigger, 0, end);
            buf = bigger;
        }
        int n = in.read(buf, end, buf.length - end);
        if (n < 0) {
            eof = true;
        } else {
            end += n;
        }
    }

    /** The current line's number, from 1 (blank lines count). */
    public int number() {
        return number;
    }

    /** The buffer holding the current line; valid until the next call of {@link #next}. */
    public byte[] buffer() {
        return buf;
    }

    /** Index of the current line's first byte in {@link #buffer}. */
    public int start() {
        return lineStart;
    }

    /** One past the current line's last byte (its {@code \n} excluded). */
    public int end() {
        return lineEnd;
    }

    /** Whether the current line holds only JSON white space. */
    public boolean blank() {
        for (int i = lineStart; i < lineEnd; i++) {
            byte b = buf[i];
            if (b != ' ' && b != '\t' && b != '\r') {
                return false;
            }
        }
        return true;
    }
}
