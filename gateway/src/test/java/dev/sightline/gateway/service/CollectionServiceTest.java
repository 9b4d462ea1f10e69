package dev.sightline.gateway.service;

import static dev.sightline.gateway.service.Outcomes.assertProblem;
import static dev.sightline.gateway.service.Outcomes.await;
import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.sightline.common.problem.CommonProblem;
import dev.sightline.gateway.service.CollectionService.CreateCollection;
import io.vertx.core.json.JsonObject;
import org.junit.jupiter.api.Test;

class CollectionServiceTest {

    private final FakeRetrievalClient retrieval = new FakeRetrievalClient();
    private final CollectionService collections = new CollectionService(retrieval, new FakeEmbedClient());

    @Test
    void aNewCollectionDefaultsToTheServedModelsDimensionAndId() {
        assertEquals(201, await(collections.create("acme",
                new CreateCollection("shapes", null, null, null, null, null))).status());
        assertEquals("acme/shapes 2 fake/clip null", retrieval.lastCreate);

        await(collections.create("acme", new CreateCollection("big", 512, "other/clip", null, null, null)));
        assertEquals("acme/big 512 other/clip null", retrieval.lastCreate);
    }

    @Test
    void aServedModelGivesItsDimensionAndAnUnservedOneNeedsADimension() {
        await(collections.create("acme", new CreateCollection("small", null, "fake/clip-small", null, null, null)));
        assertEquals("acme/small 3 fake/clip-small null", retrieval.lastCreate);
        assertProblem(CommonProblem.INVALID_REQUEST, "dimension is required for the model other/clip, which is not"
                + " served here.", () -> collections.create("acme", new CreateCollection("x", null, "other/clip", null,
                        null, null)));
    }

    @Test
    void aPrecisionIsPassedOnAndLeftToRetrievalWhenAbsent() {
        await(collections.create("acme", new CreateCollection("half", null, null, "float16", null, null)));
        assertEquals("acme/half 2 fake/clip float16", retrieval.lastCreate);

        await(collections.create("acme", new CreateCollection("full", null, null, "float32", null, null)));
        assertEquals("acme/full 2 fake/clip float32", retrieval.lastCreate);
    }

    @Test
    void hnswSettingsArePassedOnAsGivenAndLeftToRetrievalWhenAbsent() {
        await(collections.create("acme", new CreateCollection("wide", null, null, null,
                new CollectionService.Hnsw(32, null), null)));
        assertEquals("acme/wide 2 fake/clip null hnsw 32/null", retrieval.lastCreate);
        await(collections.create("acme", new CreateCollection("plain", null, null, null, null, null)));
        assertEquals("acme/plain 2 fake/clip null", retrieval.lastCreate);
    }

    @Test
    void aMediaModeIsPassedOnAndAnyOtherRefused() {
        await(collections.create("acme", new CreateCollection("pics", null, null, null, null, "original")));
        assertEquals("acme/pics 2 fake/clip null media original", retrieval.lastCreate);
        for (String bad : new String[] {"", "thumbnails", "ORIGINAL", "all"}) {
            assertProblem(CommonProblem.INVALID_REQUEST, "media must be none, thumbnail or original.",
                    () -> collections.create("acme", new CreateCollection("x", null, null, null, null, bad)));
        }
    }

    @Test
    void refusesAnyOtherPrecisionBeforeCallingABackend() {
        for (String bad : new String[] {"", "float64", "FLOAT16", "fp16", "half"}) {
            assertProblem(CommonProblem.INVALID_REQUEST, "precision must be float32 or float16.",
                    () -> collections.create("acme", new CreateCollection("x", null, null, bad, null, null)));
        }
        assertEquals(null, retrieval.lastCreate);
    }

    @Test
    void refusesNamesOutsideThePattern() {
        for (String bad : new String[] {null, "", "Shapes", "-x", "a b", "x".repeat(64)}) {
            assertProblem(CommonProblem.INVALID_REQUEST, "name is required and must match [a-z0-9][a-z0-9_-]{0,62}.",
                    () -> collections.create("acme", new CreateCollection(bad, null, null, null, null, null)));
        }
    }

    @Test
    void anItemsVectorIsIncludedOnlyWhenAskedFor() {
        assertEquals(new JsonObject().put("id", "a").put("with_vector", true),
                await(collections.item("acme", "shapes", "a", "vector")));
        assertEquals(new JsonObject().put("id", "a").put("with_vector", false),
                await(collections.item("acme", "shapes", "a", null)));
    }
}
