package dev.sightline.gateway.service;

import static dev.sightline.gateway.service.EmbedderTest.pair;
import static dev.sightline.gateway.service.Outcomes.assertProblem;
import static dev.sightline.gateway.service.Outcomes.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import dev.sightline.common.problem.CommonProblem;
import dev.sightline.gateway.client.BackendProblem;
import dev.sightline.gateway.service.IngestService.DuplicateHandling;
import dev.sightline.gateway.service.IngestService.ItemInput;
import dev.sightline.gateway.service.IngestService.ItemsRequest;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Base64;
import java.util.Collections;
import java.util.List;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

class IngestServiceTest {

    private final FakeEmbedClient embed = new FakeEmbedClient();
    private final FakeRetrievalClient retrieval = new FakeRetrievalClient();
    private final IngestService ingest = new IngestService(retrieval, new Embedder(embed), new CollectionModels(embed), TestConfig.limits(3, 2, 8),
            new VersionClock(() -> 1_000L), TestConfig.moderation(embed, retrieval, TestConfig.limits(3, 2, 8)));

    @BeforeEach
    void collection() {
        retrieval.addCollection("acme", "shapes");
    }

    @Test
    void storesEachItemWithItsOwnVectorModalityAndMetadata() throws Exception {
        var meta = new ObjectMapper().readTree("{\"source\":\"test\"}");
        JsonObject answer = await(ingest.upsert("acme", "shapes", new ItemsRequest(List.of(
                new ItemInput("t1", "a red circle", null, meta),
                new ItemInput("i1", null, "IMG", null),
                new ItemInput("t2", "a blue square", null, null)))));

        assertEquals(new JsonObject().put("upserted", 3), answer);
        assertEquals(new JsonArray()
                .add(new JsonObject().put("id", "t1").put("modality", "text").put("text", "a red circle")
                        .put("vector", pair("text", "a red circle")).put("version", 1_000L).put("metadata", new JsonObject().put("source", "test")))
                .add(new JsonObject().put("id", "i1").put("modality", "image").put("vector", pair("image", "IMG")).put("version", 1_000L))
                .add(new JsonObject().put("id", "t2").put("modality", "text").put("text", "a blue square")
                        .put("vector", pair("text", "a blue square")).put("version", 1_000L)), retrieval.lastUpsert);
    }

    @Test
    void everyWriteCarriesANewerVersionThanTheOneBefore() {
        IngestService frozenClock = new IngestService(retrieval, new Embedder(embed), new CollectionModels(embed), TestConfig.limits(3, 2, 8),
                new VersionClock(() -> 5L), TestConfig.moderation(embed, retrieval, TestConfig.limits(3, 2, 8)));
        ItemsRequest one = new ItemsRequest(List.of(new ItemInput("a", "x", null, null)));

        await(frozenClock.upsert("acme", "shapes", one));
        assertEquals(5L, retrieval.lastUpsert.getJsonObject(0).getLong("version"));
        await(frozenClock.upsert("acme", "shapes", one));
        assertEquals(6L, retrieval.lastUpsert.getJsonObject(0).getLong("version"));
    }

    @Test
    void itemsAreEmbeddedByTheCollectionsModelAndSentWithIt() {
        retrieval.models.put("acme/shapes", "fake/clip-small");
        await(ingest.upsert("acme", "shapes", new ItemsRequest(List.of(new ItemInput("a", "a red circle", null,
                null)))));
        assertEquals(List.of("fake/clip-small"), embed.models);
        assertEquals("fake/clip-small", retrieval.lastUpsertModel);
    }

    @Test
    void anUnknownCollectionIsRefusedBeforeAnyInference() {
        BackendProblem p = assertThrows(BackendProblem.class, () -> await(ingest.upsert("acme", "nope",
                new ItemsRequest(List.of(new ItemInput("t1", "text", null, null))))));

        assertEquals(404, p.status());
        assertEquals(0, embed.batches());
    }

    @Test
    void anotherTenantsCollectionIsNotFound() {
        assertThrows(BackendProblem.class, () -> await(ingest.upsert("other", "shapes",
                new ItemsRequest(List.of(new ItemInput("t1", "text", null, null))))));
    }

    @Test
    void refusesMalformedItemsWithTheirPosition() {
        assertProblem(CommonProblem.INVALID_REQUEST, "items must be a non-empty array.",
                () -> ingest.upsert("acme", "shapes", new ItemsRequest(List.of())));
        assertProblem(CommonProblem.INVALID_REQUEST, "items[1].id is required.", () -> ingest.upsert("acme", "shapes",
                new ItemsRequest(List.of(new ItemInput("a", "x", null, null), new ItemInput(null, "y", null, null)))));
        assertProblem(CommonProblem.INVALID_REQUEST, "items[0] needs exactly one of text and image.",
                () -> ingest.upsert("acme", "shapes", new ItemsRequest(List.of(new ItemInput("a", "x", "IMG", null)))));
        assertProblem(CommonProblem.INVALID_REQUEST, "items[0].metadata must be a JSON object.",
                () -> ingest.upsert("acme", "shapes", new ItemsRequest(List.of(new ItemInput("a", "x", null,
                        JsonNodeFactory.instance.arrayNode().add(1))))));
        assertEquals(0, embed.batches());
    }

    @Test
    void refusesMoreItemsOrImagesThanConfigured() {
        List<ItemInput> four = new ArrayList<>(Collections.nCopies(4, new ItemInput("a", "x", null, null)));
        assertProblem(CommonProblem.PAYLOAD_TOO_LARGE, "At most 3 items per request; got 4.",
                () -> ingest.upsert("acme", "shapes", new ItemsRequest(four)));
        assertProblem(CommonProblem.PAYLOAD_TOO_LARGE, "At most 2 images per request; got 3.",
                () -> ingest.upsert("acme", "shapes", new ItemsRequest(List.of(new ItemInput("a", null, "1", null),
                        new ItemInput("b", null, "2", null), new ItemInput("c", null, "3", null)))));
    }

    @Test
    void uploadsAreImageItemsNamedAfterTheFileWithSharedMetadata() {
        byte[] png = "PNG".getBytes(StandardCharsets.US_ASCII);
        await(ingest.upsertUploads("acme", "shapes", List.of(new Upload("cat.v2.png", png), new Upload("dog", png)),
                "{\"album\":\"pets\"}", DuplicateHandling.NONE));

        String b64 = Base64.getEncoder().encodeToString(png);
        JsonObject meta = new JsonObject().put("album", "pets");
        assertEquals(new JsonArray()
                .add(new JsonObject().put("id", "cat.v2").put("modality", "image").put("vector", pair("image", b64))
                        .put("version", 1_000L).put("metadata", meta))
                .add(new JsonObject().put("id", "dog").put("modality", "image").put("vector", pair("image", b64))
                        .put("version", 1_000L).put("metadata", meta)), retrieval.lastUpsert);
    }

    @Test
    void refusesUploadsWithoutFilesOrWithBadMetadata() {
        assertProblem(CommonProblem.INVALID_REQUEST, "Send one or more image files in parts named 'file'.",
                () -> ingest.upsertUploads("acme", "shapes", List.of(), null, DuplicateHandling.NONE));
        List<Upload> one = List.of(new Upload("a.png", new byte[] {1}));
        assertProblem(CommonProblem.INVALID_REQUEST, "metadata must be a JSON object.",
                () -> ingest.upsertUploads("acme", "shapes", one, "[1]", DuplicateHandling.NONE));
        assertProblem(CommonProblem.INVALID_REQUEST, "metadata must be a JSON object.",
                () -> ingest.upsertUploads("acme", "shapes", one, "{not json", DuplicateHandling.NONE));
        assertProblem(CommonProblem.PAYLOAD_TOO_LARGE, "At most 2 images per request; got 3.",
                () -> ingest.upsertUploads("acme", "shapes", List.of(one.get(0), one.get(0), one.get(0)), null, DuplicateHandling.NONE));
    }
}
