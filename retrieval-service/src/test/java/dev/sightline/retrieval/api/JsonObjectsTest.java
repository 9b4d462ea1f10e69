package dev.sightline.retrieval.api;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;

import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.sightline.common.problem.CommonProblem;
import dev.sightline.common.problem.ProblemCode;
import dev.sightline.common.problem.ProblemException;
import org.junit.jupiter.api.Test;

class JsonObjectsTest {

    private static final ObjectMapper JSON = new ObjectMapper();
    private static final JsonObjects.Bounds BOUNDS = new JsonObjects.Bounds(64, 3);

    private static JsonNode parse(String json) throws Exception {
        return JSON.readTree(json);
    }

    private static ProblemException refused(String json) throws Exception {
        JsonNode node = parse(json);
        return assertThrows(ProblemException.class, () -> JsonObjects.of(node, "metadata", BOUNDS, "{}"));
    }

    private static void assertRefused(ProblemCode code, String detail, String json) throws Exception {
        ProblemException e = refused(json);
        assertEquals(code, e.code(), json);
        assertEquals(detail, e.getMessage(), json);
    }

    @Test
    void returnsCompactJsonOrTheAbsentValue() throws Exception {
        assertEquals("{\"a\":[1,{\"b\":\"c\"}]}", JsonObjects.of(parse("{ \"a\" : [1, {\"b\": \"c\"}] }"), "m", BOUNDS, "{}"));
        assertEquals("{}", JsonObjects.of(null, "m", BOUNDS, "{}"));
        assertNull(JsonObjects.of(parse("null"), "filter", BOUNDS, null));
    }

    @Test
    void refusesEverythingButAnObject() throws Exception {
        for (String json : new String[] {"[1]", "\"x\"", "5", "true", "[]"}) {
            assertRefused(CommonProblem.INVALID_REQUEST, "metadata must be a JSON object.", json);
        }
    }

    @Test
    void boundsTheDepthWithTheObjectItselfAtLevelOne() throws Exception {
        assertEquals("{\"a\":{\"b\":[1]}}", JsonObjects.of(parse("{\"a\":{\"b\":[1]}}"), "m", BOUNDS, "{}"));
        assertRefused(CommonProblem.INVALID_REQUEST, "metadata is nested deeper than 3 levels.", "{\"a\":{\"b\":[[1]]}}");
        assertRefused(CommonProblem.INVALID_REQUEST, "metadata is nested deeper than 3 levels.", "{\"a\":[{\"b\":{}}]}");
    }

    @Test
    void countsBytesOfUtf8NotCharacters() throws Exception {
        // 29 two-byte characters: 58 bytes of text, 66 bytes of JSON, 37 characters.
        ProblemException e = refused("{\"k\":\"" + "é".repeat(29) + "\"}");
        assertEquals(CommonProblem.PAYLOAD_TOO_LARGE, e.code());
        assertEquals("metadata is larger than 64 bytes.", e.getMessage());
        assertEquals("{\"k\":\"" + "é".repeat(28) + "\"}", JsonObjects.of(parse("{\"k\":\"" + "é".repeat(28) + "\"}"),
                "m", BOUNDS, "{}"));
    }

    @Test
    void refusesNulAndLoneSurrogatesInKeysAndStringsAtAnyDepth() throws Exception {
        String detail = "metadata has a key or string with a NUL character or an unpaired surrogate; neither can be stored.";
        assertRefused(CommonProblem.INVALID_REQUEST, detail, "{\"a\":\"x\\u0000\"}");
        assertRefused(CommonProblem.INVALID_REQUEST, detail, "{\"a\\u0000\":1}");
        assertRefused(CommonProblem.INVALID_REQUEST, detail, "{\"a\":{\"b\":[\"\\u0000\"]}}");
        assertRefused(CommonProblem.INVALID_REQUEST, detail, "{\"a\":[{\"\\ud800\":1}]}");
        assertRefused(CommonProblem.INVALID_REQUEST, detail, "{\"a\":\"\\udc00\"}");
    }

    @Test
    void refusesNumbersJsonbCannotHold() throws Exception {
        String detail = "metadata has a number out of range.";
        assertRefused(CommonProblem.INVALID_REQUEST, detail, "{\"a\":1e999}");
        assertRefused(CommonProblem.INVALID_REQUEST, detail, "{\"a\":[-1e999]}");
        ObjectMapper decimals = new ObjectMapper().enable(DeserializationFeature.USE_BIG_DECIMAL_FOR_FLOATS);
        JsonNode tiny = decimals.readTree("{\"a\":1e-2000}");
        ProblemException e = assertThrows(ProblemException.class, () -> JsonObjects.of(tiny, "metadata", BOUNDS, "{}"));
        assertEquals(detail, e.getMessage());
        assertEquals("{\"a\":1.0E300,\"b\":12345678901234567890}",
                JsonObjects.of(parse("{\"a\":1e300,\"b\":12345678901234567890}"), "m", BOUNDS, "{}"));
    }
}
