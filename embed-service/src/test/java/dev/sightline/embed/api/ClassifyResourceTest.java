package dev.sightline.embed.api;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.sightline.embed.Vectors;
import dev.sightline.embed.support.Api;
import dev.sightline.embed.support.Fixture;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.path.json.JsonPath;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

@QuarkusTest
class ClassifyResourceTest {

    private static final List<String> LABELS = List.of("blue square", "red circle", "green triangle", "yellow star",
            "purple cross");

    private static JsonPath classify(String file, Map<String, Object> extra) {
        Map<String, Object> body = new java.util.HashMap<>(extra);
        body.put("image", Api.base64(Fixture.bytes(file)));
        body.putIfAbsent("labels", LABELS);
        return Api.post("/classify", body, 200);
    }

    @Test
    void picksTheDrawnShapeAndColour() {
        assertEquals("red circle", classify("images/wide.png", Map.of()).getString("predictions[0].label"));
        assertEquals("blue square", classify("images/tall.jpg", Map.of()).getString("predictions[0].label"));
        assertEquals("yellow star", classify("images/large.jpg", Map.of()).getString("predictions[0].label"));
    }

    @Test
    void scoresAreASoftmaxOverScaledCosinesSortedDescending() {
        JsonPath r = classify("images/wide.png", Map.of());
        List<Float> scores = r.getList("predictions.score", Float.class);
        List<Float> sims = r.getList("predictions.similarity", Float.class);
        assertEquals(LABELS.size(), scores.size());
        assertEquals(1.0, scores.stream().mapToDouble(Float::doubleValue).sum(), 1e-5);
        float scale = io.restassured.RestAssured.get("/model").jsonPath().getFloat("models[0].logitScale");
        for (int i = 1; i < scores.size(); i++) {
            assertTrue(scores.get(i - 1) >= scores.get(i), "not sorted");
            // softmax: the score ratio of two labels is exp(scale * (sim_a - sim_b))
            double expected = Math.exp(scale * (sims.get(i) - sims.get(0)));
            assertEquals(expected, scores.get(i) / scores.get(0), expected * 1e-3 + 1e-7);
        }
    }

    @Test
    void ensemblesSeveralTemplatesAndHonoursTopK() {
        JsonPath r = classify("images/wide.png", Map.of("templates", List.of("a photo of a {}.", "a drawing of a {}.",
                "{}"), "top_k", 2));
        assertEquals(2, r.getList("predictions").size());
        assertEquals("red circle", r.getString("predictions[0].label"));
    }

    @Test
    void cachedLabelEmbeddingsGiveIdenticalResults() {
        JsonPath first = classify("images/gray.png", Map.of("labels", List.of("white cross", "black circle", "red star")));
        JsonPath second = classify("images/gray.png", Map.of("labels", List.of("white cross", "black circle", "red star")));
        assertEquals(first.getList("predictions"), second.getList("predictions"));
    }

    @Test
    void labelEmbeddingsScoreLikeTheClassifyEndpoint() {
        JsonPath labels = Api.post("/classify/labels", Map.of("labels", LABELS), 200);
        assertEquals(List.of("a photo of a {}."), labels.getList("templates"));
        assertEquals(LABELS.size(), labels.getList("embeddings").size());
        float[] image = Api.imageEmbedding(Fixture.bytes("images/wide.png"));
        JsonPath classified = classify("images/wide.png", Map.of());
        for (int i = 0; i < LABELS.size(); i++) {
            float[] label = Api.row(labels, i);
            double sim = 0;
            for (int d = 0; d < label.length; d++) {
                sim += (double) label[d] * image[d];
            }
            int at = classified.getList("predictions.label").indexOf(LABELS.get(i));
            assertEquals(classified.getDouble("predictions[" + at + "].similarity"), sim, 1e-5);
        }
    }

    @Test
    void templateListsThatOnceMadeTheSameCacheKeyDoNotShareCachedEmbeddings() {
        // The cache key used to be the templates joined by NUL: one template holding a NUL took the other list's key.
        List<String> labels = List.of("zebra crossing", "lighthouse");
        JsonPath joined = Api.post("/classify/labels", Map.of("labels", labels, "templates", List.of("a {}\u0000b {}")), 200);
        JsonPath separate = Api.post("/classify/labels", Map.of("labels", labels, "templates", List.of("a {}", "b {}")), 200);
        for (int i = 0; i < labels.size(); i++) {
            float[] a = Api.textEmbedding("a " + labels.get(i));
            float[] b = Api.textEmbedding("b " + labels.get(i));
            float[] sum = new float[a.length];
            for (int d = 0; d < sum.length; d++) {
                sum[d] = 0f + a[d] + b[d];
            }
            assertArrayEquals(Vectors.normalize(sum), Api.row(separate, i));
            assertArrayEquals(Vectors.normalize(Api.textEmbedding("a " + labels.get(i) + "\u0000b " + labels.get(i))),
                    Api.row(joined, i));
        }
    }
}
