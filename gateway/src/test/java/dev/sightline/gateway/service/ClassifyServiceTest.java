package dev.sightline.gateway.service;

import static dev.sightline.gateway.service.Outcomes.assertProblem;
import static dev.sightline.gateway.service.Outcomes.await;
import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.sightline.common.problem.CommonProblem;
import dev.sightline.common.zeroshot.Prediction;
import dev.sightline.gateway.client.BackendReply;
import dev.sightline.gateway.service.ClassifyService.Classify;
import dev.sightline.gateway.service.ClassifyService.ClassifyWith;
import dev.sightline.gateway.service.ClassifyService.SaveClassifier;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class ClassifyServiceTest {

    private final FakeEmbedClient embed = new FakeEmbedClient();
    private final FakeRetrievalClient retrieval = new FakeRetrievalClient();
    private final ClassifyService classify = new ClassifyService(embed, retrieval);

    @Test
    void adHocClassificationPassesOnlyGivenOptions() {
        await(classify.classify(new Classify("IMG", List.of("cat", "dog"), null, 1, null)));

        assertEquals(new JsonObject().put("image", "IMG").put("labels", List.of("cat", "dog")).put("top_k", 1),
                embed.lastClassify);
    }

    @Test
    void aSavedClassifierStoresLabelVectorsAndShowsNone() {
        BackendReply first = await(classify.save("acme", "pets", new SaveClassifier(List.of("cat", "dog"), null, null)));
        BackendReply again = await(classify.save("acme", "pets", new SaveClassifier(List.of("cat", "dog"), null, null)));

        assertEquals(201, first.status());
        assertEquals(200, again.status());
        assertEquals(new JsonObject().put("name", "pets").put("labels", new JsonArray(List.of("cat", "dog")))
                .put("templates", new JsonArray(List.of("a photo of a {}."))).put("model", "fake/clip")
                .put("created_at", "2026-11-27T00:00:00Z"), first.json());
        assertEquals(new JsonArray().add(new JsonArray().add(0f).add(1f)).add(new JsonArray().add(1f).add(1f)),
                retrieval.classifiers.get("acme/pets").getJsonArray("label_vectors"));
        assertEquals(first.json(), await(classify.get("acme", "pets")));
    }

    @Test
    void classifyingWithASavedClassifierEmbedsOnlyTheImage() {
        await(classify.save("acme", "pets", new SaveClassifier(List.of("cat", "dog"), null, null)));
        embed.vectors.put("IMG", new float[] {1f, 0f});
        int before = embed.batches();

        Map<String, Object> out = await(classify.classifyWith("acme", "pets", new ClassifyWith("IMG", null)));

        double sum = 1 + Math.exp(-100);
        assertEquals(Map.of("model", "fake/clip", "predictions", List.of(new Prediction("dog", 1 / sum, 1.0),
                new Prediction("cat", Math.exp(-100) / sum, 0.0))), out);
        assertEquals(List.of(List.of("IMG")), embed.imageBatches);
        assertEquals(before + 1, embed.batches());
    }

    @Test
    void aClassifierOfAModelNoLongerServedMustBeSavedAgain() {
        retrieval.classifiers.put("acme/old", new JsonObject().put("model", "older/clip")
                .put("labels", List.of("a", "b")).put("label_vectors", new JsonArray()));

        assertProblem(CommonProblem.INVALID_REQUEST, "The classifier was saved with the model older/clip, which is not"
                + " served here; save it again with a served one.",
                () -> classify.classifyWith("acme", "old", new ClassifyWith("IMG", null)));
    }

    @Test
    void aClassifierSavedWithAnotherServedModelClassifiesWithIt() {
        await(classify.save("acme", "small", new SaveClassifier(List.of("cat", "dog"), null, "fake/clip-small")));
        assertEquals("fake/clip-small", retrieval.classifiers.get("acme/small").getString("model"));
        embed.vectors.put("IMG", new float[] {1f, 0f});

        Map<String, Object> out = await(classify.classifyWith("acme", "small", new ClassifyWith("IMG", null)));

        // The image by the classifier's model, scored with that model's logit scale (50).
        assertEquals(List.of("fake/clip-small"), embed.models);
        double sum = 1 + Math.exp(-50);
        assertEquals(Map.of("model", "fake/clip-small", "predictions", List.of(new Prediction("dog", 1 / sum, 1.0),
                new Prediction("cat", Math.exp(-50) / sum, 0.0))), out);
        assertProblem(CommonProblem.NOT_FOUND, "The model gpt-4 is not served; GET /v1/models lists the served ones"
                + " (fake/clip, fake/clip-small).", () -> classify.save("acme", "x",
                        new SaveClassifier(List.of("a", "b"), null, "gpt-4")));
    }

    @Test
    void refusesBadNamesMissingImagesAndNonPositiveTopK() {
        assertProblem(CommonProblem.INVALID_REQUEST, "Classifier names must match [a-z0-9][a-z0-9_-]{0,62}.",
                () -> classify.get("acme", "Bad Name"));
        assertProblem(CommonProblem.INVALID_REQUEST, "image is required.",
                () -> classify.classifyWith("acme", "pets", new ClassifyWith(null, null)));
        assertProblem(CommonProblem.INVALID_REQUEST, "top_k must be positive.",
                () -> classify.classifyWith("acme", "pets", new ClassifyWith("IMG", 0)));
        assertProblem(CommonProblem.INVALID_REQUEST, "image and labels are required.",
                () -> classify.classify(new Classify("IMG", null, null, null, null)));
        assertProblem(CommonProblem.INVALID_REQUEST, "labels is required.",
                () -> classify.save("acme", "pets", new SaveClassifier(null, null, null)));
    }
}
