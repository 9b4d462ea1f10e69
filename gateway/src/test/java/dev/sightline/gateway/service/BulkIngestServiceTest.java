package dev.sightline.gateway.service;

import static dev.sightline.gateway.service.Outcomes.assertProblem;
import static dev.sightline.gateway.service.Outcomes.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;

import dev.sightline.common.problem.CommonProblem;
import dev.sightline.gateway.client.BackendProblem;
import dev.sightline.gateway.config.GatewayConfig;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.util.List;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

class BulkIngestServiceTest {

    private final FakeEmbedClient embed = new FakeEmbedClient();
    private final FakeRetrievalClient retrieval = new FakeRetrievalClient();
    private final BulkIngestService bulk = service(TestConfig.bulk(100, 10, 1 << 20, 2, 1), () -> 1_000L);

    private BulkIngestService service(GatewayConfig config, java.util.function.LongSupplier clock) {
        return new BulkIngestService(retrieval, new Embedder(embed), new CollectionModels(embed), config, new VersionClock(clock),
                TestConfig.moderation(embed, retrieval, config), Runnable::run);
    }

    @BeforeEach
    void collectionAndVectors() {
        retrieval.addCollection("acme", "shapes");
        embed.vectors.put("a red circle", new float[] {0.6f, 0.8f});
        embed.vectors.put("a blue square", new float[] {-0.8f, 0.6f});
        embed.vectors.put("CIRCLE", new float[] {0.28f, 0.96f});
    }

    private static Buffer lines(String... lines) {
        return Buffer.buffer(String.join("\n", lines));
    }

    @Test
    void storesEveryItemWithItsVectorAndOneVersionAndAnswersWhatRetrievalAnswered() {
        JsonObject answer = await(bulk.upsert("acme", "shapes", lines(
                "{\"id\":\"t1\",\"text\":\"a red circle\",\"metadata\":{\"source\":\"bulk\"}}",
                "{\"id\":\"v1\",\"vector\":[0.5,-0.5],\"modality\":\"image\"}",
                "",
                "{\"id\":\"i1\",\"image\":\"CIRCLE\"}",
                "{\"id\":\"t2\",\"text\":\"a blue square\"}"), false));

        assertEquals(new JsonObject().put("collection", "shapes").put("upserted", 4).put("stale", new JsonArray()),
                answer);
        assertEquals("""
                {"id":"t1","vector":[0.6,0.8],"modality":"text","text":"a red circle","metadata":{"source":"bulk"},"version":1000}
                {"id":"v1","vector":[0.5,-0.5],"modality":"image","version":1000}
                {"id":"i1","vector":[0.28,0.96],"modality":"image","version":1000}
                {"id":"t2","vector":[-0.8,0.6],"modality":"text","text":"a blue square","version":1000}
                """, retrieval.lastBulk.toString());
    }

    @Test
    void embedsInCallsOfTheEmbedLimitsAsBase64() {
        for (String t : List.of("a", "b", "c", "d", "e")) {
            embed.vectors.put(t, new float[] {1f, 0f});
        }
        embed.vectors.put("IMG2", new float[] {0f, 1f});
        await(bulk.upsert("acme", "shapes", lines("{\"id\":\"1\",\"text\":\"a\"}", "{\"id\":\"2\",\"image\":\"CIRCLE\"}",
                "{\"id\":\"3\",\"text\":\"b\"}", "{\"id\":\"4\",\"text\":\"c\"}", "{\"id\":\"5\",\"image\":\"IMG2\"}",
                "{\"id\":\"6\",\"text\":\"d\"}", "{\"id\":\"7\",\"text\":\"e\"}"), false));

        assertEquals(List.of(List.of("a", "b"), List.of("c", "d"), List.of("e")), embed.textBatches);
        assertEquals(List.of(List.of("CIRCLE"), List.of("IMG2")), embed.imageBatches);
        assertEquals(List.of("base64", "base64", "base64", "base64", "base64"), embed.encodings);
    }

    @Test
    void saysToRetrievalWhetherMoreRequestsOfTheLoadFollow() {
        Buffer one = lines("{\"id\":\"v\",\"vector\":[1,0],\"modality\":\"text\"}");
        await(bulk.upsert("acme", "shapes", one, true));
        assertTrue(retrieval.lastBulkMore);
        await(bulk.upsert("acme", "shapes", one, false));
        assertFalse(retrieval.lastBulkMore);
    }

    @Test
    void everyBulkCarriesANewerVersionThanTheOneBefore() {
        BulkIngestService frozenClock = service(TestConfig.bulk(100, 10, 1 << 20, 2, 1), () -> 5L);
        Buffer one = lines("{\"id\":\"v\",\"vector\":[1,0],\"modality\":\"text\"}");

        await(frozenClock.upsert("acme", "shapes", one, false));
        assertEquals("{\"id\":\"v\",\"vector\":[1.0,0.0],\"modality\":\"text\",\"version\":5}\n",
                retrieval.lastBulk.toString());
        await(frozenClock.upsert("acme", "shapes", one, false));
        assertEquals("{\"id\":\"v\",\"vector\":[1.0,0.0],\"modality\":\"text\",\"version\":6}\n",
                retrieval.lastBulk.toString());
    }

    @Test
    void anUnknownCollectionIsRefusedBeforeAnyInference() {
        BackendProblem p = assertThrows(BackendProblem.class, () -> await(bulk.upsert("acme", "nope",
                lines("{\"id\":\"t1\",\"text\":\"a red circle\"}"), false)));

        assertEquals(404, p.status());
        assertEquals(0, embed.batches());
        assertNull(retrieval.lastBulk);
    }

    @Test
    void aBadLineFailsTheWholeBulkBeforeAnyInference() {
        assertProblem(CommonProblem.INVALID_REQUEST, "line 3: give exactly one of text, image and vector.",
                () -> bulk.upsert("acme", "shapes", lines("{\"id\":\"t1\",\"text\":\"a red circle\"}",
                        "{\"id\":\"i1\",\"image\":\"CIRCLE\"}", "{\"id\":\"x\"}", "{\"id\":\"t2\",\"text\":\"b\"}"), false));

        assertEquals(0, embed.batches());
        assertNull(retrieval.lastBulk);
    }

    @Test
    void aVectorOfAnotherDimensionThanTheCollectionsFailsTheBulkBeforeAnyInference() {
        assertProblem(CommonProblem.DIMENSION_MISMATCH, "line 2: vector has 3 dimensions; the collection has 2.",
                () -> bulk.upsert("acme", "shapes", lines("{\"id\":\"t1\",\"text\":\"a red circle\"}",
                        "{\"id\":\"v1\",\"vector\":[1,2,3],\"modality\":\"text\"}"), false));

        assertEquals(0, embed.batches());
        assertNull(retrieval.lastBulk);
    }

    @Test
    void anEmbedProblemNamesTheClientsLineRatherThanThePositionInAnEmbedCall() {
        embed.refusals.put("NOT-AN-IMAGE", ": The image is not valid base64.");
        embed.refusals.put("c", " has 5000 characters; the limit is 4096.");
        embed.vectors.put("b", new float[] {1f, 0f});

        BackendProblem image = assertThrows(BackendProblem.class, () -> await(bulk.upsert("acme", "shapes", lines(
                "{\"id\":\"i1\",\"image\":\"CIRCLE\"}", "", "{\"id\":\"i2\",\"image\":\"NOT-AN-IMAGE\"}"), false)));
        assertEquals(400, image.status());
        assertEquals("line 3: The image is not valid base64.", image.body().toJsonObject().getString("detail"));

        BackendProblem text = assertThrows(BackendProblem.class, () -> await(bulk.upsert("acme", "shapes", lines(
                "{\"id\":\"t1\",\"text\":\"a red circle\"}", "{\"id\":\"t2\",\"text\":\"b\"}",
                "{\"id\":\"v\",\"vector\":[1,0],\"modality\":\"text\"}", "{\"id\":\"t3\",\"text\":\"c\"}"), false)));
        assertEquals("line 4: the text has 5000 characters; the limit is 4096.",
                text.body().toJsonObject().getString("detail"));
        assertNull(retrieval.lastBulk);
    }

    @Test
    void aRetrievalProblemNamesTheClientsLineRatherThanTheForwardedOne() {
        retrieval.bulkProblem = new BackendProblem(413, new JsonObject().put("status", 413)
                .put("detail", "line 2: metadata exceeds 16384 bytes.").toBuffer(), null);

        BackendProblem p = assertThrows(BackendProblem.class, () -> await(bulk.upsert("acme", "shapes", lines(
                "", "{\"id\":\"t1\",\"text\":\"a red circle\"}", "", "", "{\"id\":\"t2\",\"text\":\"a blue square\"}"), false)));

        assertEquals(413, p.status());
        assertEquals(new JsonObject().put("status", 413).put("detail", "line 5: metadata exceeds 16384 bytes."),
                p.body().toJsonObject());
    }

    @Test
    void aRetrievalProblemWithoutALineIsPassedOnUnchanged() {
        retrieval.bulkProblem = new BackendProblem(409, new JsonObject().put("detail", "lines differ.").toBuffer(), "3");

        BackendProblem p = assertThrows(BackendProblem.class, () -> await(bulk.upsert("acme", "shapes",
                lines("{\"id\":\"t1\",\"text\":\"a red circle\"}"), false)));

        assertEquals(new JsonObject().put("detail", "lines differ."), p.body().toJsonObject());
        assertEquals("3", p.retryAfter());
    }

    @Test
    void itemsWhoseVectorsMakeTheForwardedBodyLargerThanTheLimitAreRefusedBeforeRetrievalIsCalled() {
        BulkIngestService small = service(TestConfig.bulk(100, 10, 60, 2, 1), () -> 1_000L);

        assertProblem(CommonProblem.PAYLOAD_TOO_LARGE, "With their vectors these items take 86 bytes; a bulk request "
                + "may store at most 60. Send them in smaller requests.", () -> small.upsert("acme", "shapes",
                        lines("{\"id\":\"t1\",\"text\":\"a red circle\"}"), false));
        assertNull(retrieval.lastBulk);
    }
}
