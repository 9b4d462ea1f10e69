package dev.sightline.common.ndjson;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

class NdjsonLinesTest {

    @Test
    void splitsAtNewlinesKeepingCarriageReturnsAndALastLineWithoutNewline() throws IOException {
        assertEquals(List.of("a", "", "b\r", "  ", "c"), lines("a\n\nb\r\n  \nc", 100, Integer.MAX_VALUE));
        assertEquals(List.of("a"), lines("a\n", 100, Integer.MAX_VALUE));
        assertEquals(List.of(), lines("", 100, Integer.MAX_VALUE));
    }

    @Test
    void linesLongerThanTheReadBufferAndReadsOfOneByteGiveTheSameLines() throws IOException {
        String longLine = "x".repeat(200_000);
        String body = "first\n" + longLine + "\n\nlast";
        List<String> expected = List.of("first", longLine, "", "last");
        assertEquals(expected, lines(body, 300_000, Integer.MAX_VALUE));
        assertEquals(expected, lines(body, 300_000, 1));
        assertEquals(expected, lines(body, 300_000, 7001));
    }

    @Test
    void aLineOverTheLimitIsRefusedWithItsNumberBeforeItIsBufferedWhole() {
        NdjsonLines.LineTooLong e = assertThrows(NdjsonLines.LineTooLong.class,
                () -> lines("ok\n" + "y".repeat(11) + "\nok", 10, Integer.MAX_VALUE));
        assertEquals(2, e.line());
        // A line without end: refused once the limit is passed, long before the body ends.
        InputStream endless = new InputStream() {
            @Override
            public int read() {
                return 'z';
            }
        };
        assertEquals(1, assertThrows(NdjsonLines.LineTooLong.class, () -> new NdjsonLines(endless, 1 << 20).next())
                .line());
        assertEquals(List.of("y".repeat(10)), assertDoesNotThrowLines("y".repeat(10), 10));
    }

    @Test
    void blankMeansOnlyJsonWhiteSpaceAndNumbersCountEveryLine() throws IOException {
        NdjsonLines lines = new NdjsonLines(new ByteArrayInputStream(" \t\r\nx\n".getBytes(StandardCharsets.UTF_8)),
                100);
        lines.next();
        assertEquals(1, lines.number());
        assertEquals(true, lines.blank());
        lines.next();
        assertEquals(2, lines.number());
        assertFalse(lines.blank());
        assertFalse(lines.next());
    }

    private static List<String> assertDoesNotThrowLines(String body, int max) {
        try {
            return lines(body, max, Integer.MAX_VALUE);
        } catch (IOException e) {
            throw new AssertionError(e);
        }
    }

    private static List<String> lines(String body, int max, int readSize) throws IOException {
        byte[] bytes = body.getBytes(StandardCharsets.UTF_8);
        InputStream in = new ByteArrayInputStream(bytes) {
            @Override
            public synchronized int read(byte[] b, int off, int len) {
                return super.read(b, off, Math.min(len, readSize));
            }
        };
        NdjsonLines lines = new NdjsonLines(in, max);
        List<String> out = new ArrayList<>();
        while (lines.next()) {
            out.add(new String(lines.buffer(), lines.start(), lines.end() - lines.start(), StandardCharsets.UTF_8));
        }
        return out;
    }
}
