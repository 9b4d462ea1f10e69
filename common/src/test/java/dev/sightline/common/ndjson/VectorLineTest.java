package dev.sightline.common.ndjson;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.math.BigDecimal;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Random;
import org.junit.jupiter.api.Test;

/**
 * VectorLine against Jackson as the oracle: every line it takes gives Jackson's floats bit for bit and Jackson's
 * reading of the other members; every line of another shape is handed back (null) for Jackson to judge.
 */
class VectorLineTest {

    private static final ObjectMapper JSON = new ObjectMapper();

    @Test
    void plainLinesGiveJacksonsFloatsAndMembers() throws Exception {
        Random r = new Random(11);
        for (int n = 0; n < 2000; n++) {
            StringBuilder line = new StringBuilder();
            String ws = r.nextInt(4) == 0 ? " \t" : "";
            line.append(ws).append('{').append(ws);
            String vector = "\"vector\"" + ws + ":" + ws + vectorText(r, 1 + r.nextInt(40), ws);
            String[] others = {
                "\"id\":\"it\\\"em-" + n + "\"",
                "\"modality\": \"image\"",
                "\"metadata\": {\"tags\": [\"a]\", \"}b\", {\"x\": [1, 2.5e3, null, true]}], \"q\": \"\\\\\"}",
                "\"text\": \"caf\u00e9 \\u00e9 \\n ]}\"",
                "\"version\": 17",
            };
            int at = r.nextInt(others.length + 1);
            for (int i = 0, k = 0; i <= others.length; i++) {
                if (i > 0) {
                    line.append(ws).append(',').append(ws);
                }
                line.append(i == at ? vector : others[k++]);
            }
            line.append(ws).append('}').append(ws).append(r.nextBoolean() ? "\r" : "");
            byte[] bytes = ("xx" + line + "yy").getBytes(StandardCharsets.UTF_8);
            VectorLine split = VectorLine.split(bytes, 2, bytes.length - 2, 8);
            assertNotNull(split, line::toString);
            JsonNode whole = JSON.readTree(line.toString());
            assertArrayEquals(JSON.treeToValue(whole.get("vector"), float[].class), split.vector(), line::toString);
            ((ObjectNode) whole).remove("vector");
            assertEquals(whole, JSON.readTree(split.rest()), line::toString);
        }
    }

    @Test
    void decimalsExactlyBetweenTwoFloatsRoundToEvenAsTheJdkDoes() {
        Random r = new Random(5);
        for (int n = 0; n < 20000; n++) {
            float f = Float.intBitsToFloat(r.nextInt(0x7f00_0000));
            float up = Math.nextUp(f);
            BigDecimal mid = new BigDecimal(f).add(new BigDecimal(up)).divide(BigDecimal.valueOf(2));
            BigDecimal nearMid = mid.add(new BigDecimal(up).subtract(new BigDecimal(f)).movePointLeft(12));
            for (String text : new String[] {mid.toString(), nearMid.toString(), mid.toPlainString(),
                Double.toString(f), "-" + Double.toString(up)}) {
                if (text.length() > 1000) {
                    continue;
                }
                String json = "{\"vector\":[" + text + "]}";
                byte[] b = json.getBytes(StandardCharsets.US_ASCII);
                VectorLine split = VectorLine.split(b, 0, b.length, 1);
                assertNotNull(split, json);
                assertEquals(Float.floatToIntBits(Float.parseFloat(text)), Float.floatToIntBits(split.vector()[0]),
                        text);
            }
        }
    }

    @Test
    void shortDecimalsOfEveryMagnitudeMatchTheJdkBitForBit() {
        Random r = new Random(9);
        StringBuilder line = new StringBuilder("{\"vector\":[");
        List<String> texts = new ArrayList<>();
        for (int n = 0; n < 200_000; n++) {
            String text = switch (n % 4) {
                case 0 -> Float.toString(Float.intBitsToFloat(r.nextInt(0x7f80_0000)));
                case 1 -> Float.toString((float) r.nextGaussian() * 0.05f);
                default -> {
                    // 1 to 16 random digits, a decimal point somewhere, an exponent within the fast path's reach or just past it
                    int digits = 1 + r.nextInt(16);
                    StringBuilder d = new StringBuilder();
                    d.append((char) ('1' + r.nextInt(9)));
                    for (int k = 1; k < digits; k++) {
                        d.append((char) ('0' + r.nextInt(10)));
                    }
                    int point = r.nextInt(digits + 1);
                    String m = point == digits ? d.toString() : d.substring(0, Math.max(point, 1)) + "."
                            + d.substring(Math.max(point, 1));
                    if (m.endsWith(".")) {
                        m = m + "0";
                    }
                    yield (r.nextBoolean() ? "-" : "") + m + "e" + (r.nextInt(61) - 30);
                }
            };
            texts.add(text);
            line.append(n > 0 ? "," : "").append(text);
        }
        byte[] b = line.append("]}").toString().getBytes(StandardCharsets.US_ASCII);
        float[] v = VectorLine.split(b, 0, b.length, 1).vector();
        for (int n = 0; n < texts.size(); n++) {
            assertEquals(Float.floatToIntBits(Float.parseFloat(texts.get(n))), Float.floatToIntBits(v[n]), texts.get(n));
        }
    }

    @Test
    void linesOfAnyOtherShapeAreLeftToTheGeneralParser() {
        String[] others = {
            "", "[1, 2]", "null", "{}", "{\"id\": \"x\"}", "{\"vector\": null}", "{\"vector\": 1}",
            "{\"vector\": [1, 2,", "{\"vector\": [1, 2]", "{\"vector\": [1 2]}", "{\"vector\": [1,]}",
            "{\"vector\": [\"1\"]}", "{\"vector\": [NaN]}", "{\"vector\": [+1]}", "{\"vector\": [01]}",
            "{\"vector\": [1.]}", "{\"vector\": [.5]}", "{\"vector\": [1e]}", "{\"vector\": [-]}",
            "{\"vector\": [[1]]}", "{\"vector\": [1], \"vector\": [2]}", "{\"vec\\u0074or\": [1]}",
            "{\"vector\": [1]} {\"vector\": [2]}", "{\"vector\": [1]}]", "{\"vector\": [1], }",
            "{\"vector\": [1], \"id\": \"x}", "{\"vector\": [1], \"id\": }", "{\"vector\": [1], \"id\" \"x\"}",
"{\"vector\": [1], \"m\": {\"a\": 1}}}",
            "{\"vector\": [1], \"n\": 1 2}", "{vector: [1]}", "{\"vector\": [1" + "0".repeat(1000) + "]}",
        };
        for (String line : others) {
            byte[] b = line.getBytes(StandardCharsets.UTF_8);
            assertNull(VectorLine.split(b, 0, b.length, 4), line);
        }
    }

    @Test
    void otherMembersAreCopiedAsTheyAreForTheGeneralParserToJudge() {
        byte[] b = "{\"vector\": [1], \"m\": {\"a\": [1}], \"id\": tru}".getBytes(StandardCharsets.US_ASCII);
        VectorLine split = VectorLine.split(b, 0, b.length, 1);
        assertEquals("{\"m\": {\"a\": [1}],\"id\": tru}", new String(split.rest(), StandardCharsets.US_ASCII));
        assertThrows(JsonProcessingException.class, () -> JSON.readTree(split.rest()));
    }

    @Test
    void theArrayGrowsPastTheExpectedLengthAndShrinksToTheGivenOne() {
        byte[] b = "{\"vector\": [1, 2, 3, 4, 5]}".getBytes(StandardCharsets.US_ASCII);
        assertArrayEquals(new float[] {1, 2, 3, 4, 5}, VectorLine.split(b, 0, b.length, 2).vector());
        assertArrayEquals(new float[] {1, 2, 3, 4, 5}, VectorLine.split(b, 0, b.length, 512).vector());
        byte[] empty = "{\"vector\": [ ]}".getBytes(StandardCharsets.US_ASCII);
        assertArrayEquals(new float[0], VectorLine.split(empty, 0, empty.length, 512).vector());
        assertArrayEquals("{}".getBytes(StandardCharsets.US_ASCII), VectorLine.split(empty, 0, empty.length, 1).rest());
    }

    private static String vectorText(Random r, int n, String ws) {
        StringBuilder sb = new StringBuilder("[").append(ws);
        for (int i = 0; i < n; i++) {
            if (i > 0) {
                sb.append(ws).append(',').append(ws);
            }
            float f = (float) (r.nextGaussian() * Math.pow(10, r.nextInt(20) - 10));
            sb.append(switch (r.nextInt(7)) {
                case 0 -> Float.toString(f);
                case 1 -> Double.toString(f); // what a client holding doubles (Python, JavaScript) writes
                case 2 -> String.format(Locale.ROOT, "%.9e", f);
                case 3 -> String.format(Locale.ROOT, "%.6E", f).replace("E+", "E");
                case 4 -> Integer.toString(r.nextInt(2001) - 1000);
                case 5 -> r.nextBoolean() ? "-0" : "0.0";
                default -> new BigDecimal(f).toPlainString();
            });
        }
        return sb.append(ws).append(']').toString();
    }
}
