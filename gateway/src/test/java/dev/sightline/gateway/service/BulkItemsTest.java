package dev.sightline.gateway.service;

import static java.util.stream.Collectors.joining;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;

import com.fasterxml.jackson.databind.ObjectMapper;
import dev.sightline.common.problem.CommonProblem;
import dev.sightline.common.problem.ProblemCode;
import dev.sightline.common.problem.ProblemException;
import dev.sightline.gateway.service.BulkItems.BulkItem;
import io.vertx.core.buffer.Buffer;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.function.Executable;

class BulkItemsTest {

    private static List<BulkItem> parse(String body) {
        return BulkItems.parse(Buffer.buffer(body), 4, 2);
    }

    private static void assertProblem(ProblemCode code, String detail, Executable call) {
        ProblemException e = assertThrows(ProblemException.class, call);
        assertEquals(code, e.code());
        assertEquals(detail, e.getMessage());
    }

    private static void assertLineProblem(ProblemCode code, String detail, String line) {
        assertProblem(code, detail, () -> parse("{\"id\":\"ok\",\"text\":\"fine\"}\n" + line + "\n"));
    }

    @Test
    void readsTextImageAndVectorLinesNumberedAsSentWithBlankLinesSkipped() throws Exception {
        List<BulkItem> items = parse("\n{\"id\":\"t1\",\"text\":\"a red circle\",\"metadata\":{\"k\":[1,\"x\"]}}\r\n"
                + "\n  \t\n{\"id\":\"i1\",\"image\":\"iVBORw0KGgo=\",\"metadata\":null}\n"
                + "{\"metadata\":{},\"modality\":\"image\",\"vector\":[0.25,-1,3E-2],\"id\":\"v1\"}");

        assertEquals(3, items.size());
        BulkItem text = items.get(0);
        assertEquals(List.of(2, "t1", "a red circle"), List.of(text.line(), text.id(), text.text()));
        assertEquals(new ObjectMapper().readTree("{\"k\":[1,\"x\"]}"), text.metadata());
        assertEquals(new Input("a red circle", null), text.input());
        BulkItem image = items.get(1);
        assertEquals(List.of(5, "i1", "iVBORw0KGgo="), List.of(image.line(), image.id(), image.image()));
        assertNull(image.metadata());
        assertEquals(true, image.embedded());
        BulkItem vector = items.get(2);
        assertEquals(List.of(6, "v1", "image"), List.of(vector.line(), vector.id(), vector.modality()));
        assertArrayEquals(new float[] {0.25f, -1f, 0.03f}, vector.vector());
        assertEquals(false, vector.embedded());
        assertEquals(new ObjectMapper().readTree("{}"), vector.metadata());
    }

    @Test
    void vectorComponentsAreRoundedToFloat32FromTheirDecimalText() {
        // Just under the midpoint between 1 + 2^-23 and 1 + 2^-22: as float directly 1 + 2^-23; through double the
        // midpoint itself, which float rounding takes to the even neighbour, 1 + 2^-22.
        float[] v = parse("{\"id\":\"v\",\"vector\":[1.00000017881393432617187499],\"modality\":\"text\"}").get(0).vector();

        assertArrayEquals(new float[] {Math.nextUp(1f)}, v);
    }

    @Test
    void aBadLineIsNamedByItsNumberAsSent() {
        assertProblem(CommonProblem.INVALID_JSON, "line 3: not valid JSON (column 18).", () -> parse(
                "{\"id\":\"a\",\"text\":\"x\"}\n\n{\"id\":\"b\",\"text\":}\n{\"id\":\"c\",\"text\":\"y\"}\n"));
    }

    @Test
    void refusesLinesThatAreNotOneItemObject() {
        assertLineProblem(CommonProblem.INVALID_REQUEST, "line 2: an item must be a JSON object.", "[1,2]");
        assertLineProblem(CommonProblem.INVALID_REQUEST, "line 2: an item must be a JSON object.", "\"text\"");
        assertLineProblem(CommonProblem.INVALID_REQUEST, "line 2: one JSON object per line; this line has more.",
                "{\"id\":\"a\",\"text\":\"x\"} {\"id\":\"b\",\"text\":\"y\"}");
        assertLineProblem(CommonProblem.INVALID_JSON, "line 2: not valid JSON (column 15).",
                "{\"id\":\"a\",\"id\":\"b\",\"text\":\"x\"}");
        assertLineProblem(CommonProblem.INVALID_REQUEST, "line 2: unknown field 'vectors'.",
                "{\"id\":\"a\",\"vectors\":[1]}");
    }

    @Test
    void refusesMissingMalformedAndRepeatedIds() {
        assertLineProblem(CommonProblem.INVALID_REQUEST, "line 2: id is required.", "{\"text\":\"x\"}");
        assertLineProblem(CommonProblem.INVALID_JSON, "line 2: id must be a string.", "{\"id\":7,\"text\":\"x\"}");
        assertLineProblem(CommonProblem.INVALID_REQUEST, "line 2: id must match [A-Za-z0-9._:@+=~-]{1,128}.",
                "{\"id\":\"a b\",\"text\":\"x\"}");
        assertLineProblem(CommonProblem.INVALID_REQUEST, "line 2: id contains a NUL character (U+0000).",
                "{\"id\":\"a\\u0000\",\"text\":\"x\"}");
        assertProblem(CommonProblem.INVALID_REQUEST, "line 4: duplicate id a (also on line 1).", () -> parse(
                "{\"id\":\"a\",\"text\":\"x\"}\n{\"id\":\"b\",\"text\":\"y\"}\n\n"
                        + "{\"id\":\"a\",\"vector\":[1],\"modality\":\"text\"}"));
    }

    @Test
    void needsExactlyOneOfTextImageAndVector() {
        String one = "line 2: give exactly one of text, image and vector.";
        assertLineProblem(CommonProblem.INVALID_REQUEST, one, "{\"id\":\"a\"}");
        assertLineProblem(CommonProblem.INVALID_REQUEST, one, "{\"id\":\"a\",\"text\":null,\"metadata\":{}}");
        assertLineProblem(CommonProblem.INVALID_REQUEST, one, "{\"id\":\"a\",\"text\":\"x\",\"image\":\"AAAA\"}");
        assertLineProblem(CommonProblem.INVALID_REQUEST, one,
                "{\"id\":\"a\",\"text\":\"x\",\"vector\":[1],\"modality\":\"text\"}");
    }

    @Test
    void aModalityGoesWithAVectorAndOnlyWithIt() {
        assertLineProblem(CommonProblem.INVALID_REQUEST, "line 2: a vector needs its modality, image or text.",
                "{\"id\":\"a\",\"vector\":[1]}");
        assertLineProblem(CommonProblem.INVALID_REQUEST, "line 2: modality must be image or text.",
                "{\"id\":\"a\",\"vector\":[1],\"modality\":\"audio\"}");
        assertLineProblem(CommonProblem.INVALID_REQUEST,
                "line 2: modality goes only with a vector (a text or an image is its own modality).",
                "{\"id\":\"a\",\"text\":\"x\",\"modality\":\"text\"}");
    }

    @Test
    void refusesTextsImagesAndMetadataThatCannotBeEmbeddedOrStored() {
        assertLineProblem(CommonProblem.INVALID_REQUEST, "line 2: text is empty.", "{\"id\":\"a\",\"text\":\" \\n\"}");
        assertLineProblem(CommonProblem.INVALID_JSON, "line 2: text must be a string.", "{\"id\":\"a\",\"text\":5}");
        assertLineProblem(CommonProblem.INVALID_REQUEST, "line 2: text contains a lone UTF-16 surrogate.",
                "{\"id\":\"a\",\"text\":\"x\\ud800\"}");
        assertLineProblem(CommonProblem.INVALID_REQUEST, "line 2: image is empty.", "{\"id\":\"a\",\"image\":\"\"}");
        assertLineProblem(CommonProblem.INVALID_REQUEST, "line 2: metadata must be a JSON object.",
                "{\"id\":\"a\",\"text\":\"x\",\"metadata\":[1]}");
        assertLineProblem(CommonProblem.INVALID_REQUEST,
                "line 2: unstorable text: 'metadata.tags[1]' contains a NUL character (U+0000).",
                "{\"id\":\"a\",\"text\":\"x\",\"metadata\":{\"tags\":[\"ok\",\"\\u0000\"]}}");
    }

    @Test
    void refusesVectorsThatAreNotFiniteNonZeroNumbers() {
        assertLineProblem(CommonProblem.INVALID_JSON, "line 2: vector must be an array of numbers.",
                "{\"id\":\"a\",\"vector\":[1,\"2\"],\"modality\":\"text\"}");
        assertLineProblem(CommonProblem.INVALID_JSON, "line 2: vector must be an array of numbers.",
                "{\"id\":\"a\",\"vector\":[1,null],\"modality\":\"text\"}");
        assertLineProblem(CommonProblem.INVALID_JSON, "line 2: vector must be an array of numbers.",
                "{\"id\":\"a\",\"vector\":\"AAAA\",\"modality\":\"text\"}");
        assertLineProblem(CommonProblem.INVALID_REQUEST, "line 2: vector is empty.",
                "{\"id\":\"a\",\"vector\":[],\"modality\":\"text\"}");
        assertLineProblem(CommonProblem.INVALID_VECTOR, "line 2: vector is all zeros; cosine is undefined.",
                "{\"id\":\"a\",\"vector\":[0,0.0,-0],\"modality\":\"text\"}");
        assertLineProblem(CommonProblem.INVALID_VECTOR, "line 2: vector has a component beyond the float32 range.",
                "{\"id\":\"a\",\"vector\":[1,1e39],\"modality\":\"text\"}");
    }

    @Test
    void refusesBodiesWithoutItems() {
        String none = "The request body has no items: send one JSON object per line.";
        assertProblem(CommonProblem.INVALID_REQUEST, none, () -> parse(""));
        assertProblem(CommonProblem.INVALID_REQUEST, none, () -> parse("\n \r\n\t\n"));
    }

    @Test
    void refusesMoreItemsOrImagesThanTheLimitsBeforeEmbeddingAny() {
        String item = "{\"id\":\"%s\",\"text\":\"x\"}\n";
        assertProblem(CommonProblem.PAYLOAD_TOO_LARGE, "At most 4 items per bulk request; got 5.",
                () -> parse(Stream.of("a", "b", "c", "d", "e").map(id -> String.format(item, id)).collect(joining())));
        // Counted before any line is read: a bad line beyond the limit does not change the answer.
        assertProblem(CommonProblem.PAYLOAD_TOO_LARGE, "At most 4 items per bulk request; got 5.",
                () -> parse(String.format(item, "a").repeat(4) + "not json\n"));
        assertProblem(CommonProblem.PAYLOAD_TOO_LARGE, "At most 2 images per bulk request; got 3.", () -> parse(
                "{\"id\":\"a\",\"image\":\"A\"}\n{\"id\":\"b\",\"image\":\"B\"}\n{\"id\":\"c\",\"image\":\"C\"}\n"));
    }

    @Test
    void vectorLinesMustHaveTheCollectionsDimension() {
        List<BulkItem> items = parse("{\"id\":\"t\",\"text\":\"x\"}\n{\"id\":\"v\",\"vector\":[1,2],\"modality\":\"text\"}\n"
                + "\n{\"id\":\"w\",\"vector\":[1,2,3],\"modality\":\"image\"}");

        BulkItems.checkDimensions(items.subList(0, 2), 2);
        assertProblem(CommonProblem.DIMENSION_MISMATCH, "line 4: vector has 3 dimensions; the collection has 2.",
                () -> BulkItems.checkDimensions(items, 2));
    }

    @Test
    void writesOneRetrievalLinePerItemWithItsVectorModalityTextMetadataAndTheVersion() {
        List<BulkItem> items = parse("{\"id\":\"t1\",\"text\":\"a \\\"red\\\" circle\",\"metadata\":{\"k\":1}}\n"
                + "{\"id\":\"i1\",\"image\":\"AAAA\"}\n{\"id\":\"v1\",\"vector\":[0.1,2],\"modality\":\"text\"}");

        Buffer ndjson = BulkItems.ndjson(items, List.of(new float[] {0.6f, -0.8f}, new float[] {1e-8f, 1f},
                items.get(2).vector()), 1234L);

        assertEquals("""
                {"id":"t1","vector":[0.6,-0.8],"modality":"text","text":"a \\"red\\" circle","metadata":{"k":1},"version":1234}
                {"id":"i1","vector":[1.0E-8,1.0],"modality":"image","version":1234}
                {"id":"v1","vector":[0.1,2.0],"modality":"text","version":1234}
                """, ndjson.toString());
    }
}
