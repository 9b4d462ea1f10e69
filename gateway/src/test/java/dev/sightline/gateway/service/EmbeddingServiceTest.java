package dev.sightline.gateway.service;

import static dev.sightline.gateway.service.EmbedderTest.pair;
import static dev.sightline.gateway.service.Outcomes.assertProblem;
import static dev.sightline.gateway.service.Outcomes.await;
import static org.junit.jupiter.api.Assertions.assertEquals;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.sightline.common.problem.CommonProblem;
import dev.sightline.gateway.service.EmbeddingService.EmbeddingsRequest;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class EmbeddingServiceTest {

    private final FakeEmbedClient embed = new FakeEmbedClient();
    private final EmbeddingService service = new EmbeddingService(embed, new Embedder(embed),
            TestConfig.limits(10, 1, 3));

    private static JsonNode json(String s) {
        try {
            return new ObjectMapper().readTree(s);
        } catch (java.io.IOException e) {
            throw new java.io.UncheckedIOException(e);
        }
    }

    private static EmbeddingsRequest request(String model, JsonNode input, String format, Integer dimensions) {
        return new EmbeddingsRequest(model, input, format, dimensions, null);
    }

    @Test
    void answersInOpenAiShapeInInputOrderCountingTextTokens() throws Exception {
        JsonObject out = await(service.embeddings(request("fake/clip", json(
                "[\"ab\", {\"type\":\"image_url\",\"image_url\":{\"url\":\"IMG\"}}, {\"type\":\"text\",\"text\":\"cde\"}]"),
                "base64", null)));

        assertEquals(new JsonObject().put("object", "list").put("data", new JsonArray()
                .add(new JsonObject().put("object", "embedding").put("index", 0).put("embedding", pair("text", "ab")))
                .add(new JsonObject().put("object", "embedding").put("index", 1).put("embedding", pair("image", "IMG")))
                .add(new JsonObject().put("object", "embedding").put("index", 2).put("embedding", pair("text", "cde"))))
                .put("model", "fake/clip")
                .put("usage", new JsonObject().put("prompt_tokens", 5).put("total_tokens", 5)), out);
        assertEquals(List.of("base64", "base64"), embed.encodings);
    }

    @Test
    void listsTheServedModel() {
        Map<String, Object> models = await(service.models());

        @SuppressWarnings("unchecked")
        Map<String, Object> model = ((List<Map<String, Object>>) models.get("data")).get(0);
        assertEquals("fake/clip", model.get("id"));
        assertEquals(2, model.get("dimensions"));
        assertEquals(List.of("text", "image"), model.get("modalities"));
    }

    @Test
    void refusesWhatTheOpenAiContractAllowsButThisModelCannotServe() throws Exception {
        assertProblem(CommonProblem.NOT_FOUND, "The model gpt-4 is not served; GET /v1/models lists the served ones (fake/clip, fake/clip-small).",
                () -> service.embeddings(request("gpt-4", json("\"x\""), null, null)));
        assertProblem(CommonProblem.INVALID_REQUEST, "dimensions must be 2 for this model.",
                () -> service.embeddings(request("fake/clip", json("\"x\""), null, 64)));
        assertProblem(CommonProblem.INVALID_REQUEST, "input[0]: token arrays are not supported; send text.",
                () -> service.embeddings(request("fake/clip", json("[[1,2]]"), null, null)));
        assertProblem(CommonProblem.INVALID_REQUEST, "encoding_format must be float or base64.",
                () -> service.embeddings(request("fake/clip", json("\"x\""), "int8", null)));
        assertProblem(CommonProblem.INVALID_REQUEST, "input texts must not be empty.",
                () -> service.embeddings(request("fake/clip", json("[\" \"]"), null, null)));
        assertProblem(CommonProblem.INVALID_REQUEST, "model is required.",
                () -> service.embeddings(request(null, json("\"x\""), null, null)));
        assertEquals(0, embed.batches());
    }

    @Test
    void refusesMoreInputsOrImagesThanConfigured() throws Exception {
        assertProblem(CommonProblem.PAYLOAD_TOO_LARGE, "At most 3 inputs per request; got 4.",
                () -> service.embeddings(request("fake/clip", json("[\"a\",\"b\",\"c\",\"d\"]"), null, null)));
        String image = "{\"type\":\"image_url\",\"image_url\":{\"url\":\"IMG\"}}";
        assertProblem(CommonProblem.PAYLOAD_TOO_LARGE, "At most 1 images per request; got 2.",
                () -> service.embeddings(request("fake/clip", json("[" + image + "," + image + "]"), null, null)));
    }
}
