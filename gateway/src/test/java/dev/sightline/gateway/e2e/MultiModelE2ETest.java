package dev.sightline.gateway.e2e;

import static dev.sightline.gateway.support.Gateway.as;
import static dev.sightline.gateway.support.Gateway.base64;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.hasSize;

import dev.sightline.gateway.support.Platform;
import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.junit.QuarkusTest;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * Two models served at once (the bundled tiny CLIP, the default, and its 96-dimension projection): listed, named
 * by requests, and a collection's own model used for its items and queries, through the real services.
 */
@QuarkusTest
@QuarkusTestResource(Platform.class)
class MultiModelE2ETest {

    static final String DEFAULT = "sightline/tiny-clip";
    static final String SECOND = "sightline/tiny-clip-p96";
    static final String PROBLEMS = "https://sightline.dev/problems/";

    @Test
    void listsBothModelsTheDefaultFirst() {
        as(Platform.KEY_A).get("/v1/models").then().statusCode(200).body("data.id", equalTo(List.of(DEFAULT, SECOND)))
                .body("data.dimensions", equalTo(List.of(128, 96)));
    }

    @Test
    void embeddingsComeFromTheModelNamed() {
        as(Platform.KEY_A).body(Map.of("model", SECOND, "input", List.of("a red circle", "a blue square")))
                .post("/v1/embeddings").then().statusCode(200).body("model", equalTo(SECOND))
                .body("data[0].embedding", hasSize(96)).body("data[1].embedding", hasSize(96));
        as(Platform.KEY_A).body(Map.of("model", "openai/clip-vit-b-32", "input", "x")).post("/v1/embeddings").then()
                .statusCode(404).contentType("application/problem+json").body("detail", equalTo("The model"
                        + " openai/clip-vit-b-32 is not served; GET /v1/models lists the served ones (" + DEFAULT
                        + ", " + SECOND + ")."));
    }

    @Test
    void aCollectionOfTheSecondModelEmbedsItsItemsAndQueriesWithIt() {
        as(Platform.KEY_A).body(Map.of("name", "p96", "model", SECOND)).post("/v1/collections").then().statusCode(201)
                .body("model", equalTo(SECOND)).body("dimension", equalTo(96));
        as(Platform.KEY_A).body(Map.of("items", List.of(
                Map.of("id", "red-circle", "image", base64("wide.png")),
                Map.of("id", "blue-square", "image", base64("tall.jpg")),
                Map.of("id", "yellow-star", "image", base64("large.jpg")),
                Map.of("id", "caption", "text", "a photo of a red circle."))))
                .post("/v1/collections/p96/items").then().statusCode(200).body("upserted", equalTo(4));
        as(Platform.KEY_A).get("/v1/collections/p96/items/caption?include=vector").then().statusCode(200)
                .body("vector", hasSize(96));
        for (Map.Entry<String, String> q : Map.of("a photo of a red circle.", "red-circle",
                "a photo of a blue square.", "blue-square", "a photo of a yellow star.", "yellow-star").entrySet()) {
            as(Platform.KEY_A).body(Map.of("text", q.getKey(), "top_k", 1)).post("/v1/collections/p96/text-to-image")
                    .then().statusCode(200).body("results[0].id", equalTo(q.getValue()));
        }
        as(Platform.KEY_A).body(Map.of("image", base64("wide.png"), "top_k", 1))
                .post("/v1/collections/p96/image-to-text").then().statusCode(200)
                .body("results[0].id", equalTo("caption"));
    }

    @Test
    void aCollectionOfAModelNotServedTakesVectorsOnly() {
        as(Platform.KEY_A).body(Map.of("name", "elsewhere", "model", "openai/clip-vit-b-32")).post("/v1/collections")
                .then().statusCode(400).body("detail", equalTo("dimension is required for the model"
                        + " openai/clip-vit-b-32, which is not served here."));
        as(Platform.KEY_A).body(Map.of("name", "elsewhere", "model", "openai/clip-vit-b-32", "dimension", 4))
                .post("/v1/collections").then().statusCode(201);
        as(Platform.KEY_A).body(Map.of("items", List.of(Map.of("id", "t", "text", "a red circle"))))
                .post("/v1/collections/elsewhere/items").then().statusCode(400)
                .body("type", equalTo(PROBLEMS + "invalid-request"))
                .body("detail", equalTo("Collection elsewhere uses the model openai/clip-vit-b-32, which is not served"
                        + " here (" + DEFAULT + ", " + SECOND + "): it takes vectors only, as items and as search"
                        + " queries, or searches by item_id."));
        as(Platform.KEY_A).body(Map.of("query", Map.of("vector", List.of(1, 0, 0, 0)), "top_k", 1))
                .post("/v1/collections/elsewhere/search").then().statusCode(200);
        // Bulk vector lines need no served model either.
        dev.sightline.gateway.support.Gateway.ndjson(Platform.KEY_A,
                "{\"id\":\"v1\",\"vector\":[1,0,0,0],\"modality\":\"image\"}\n")
                .post("/v1/collections/elsewhere/items/bulk").then().statusCode(200).body("upserted", equalTo(1));
    }

    @Test
    void classificationAndSavedClassifiersUseTheModelNamed() {
        List<String> labels = List.of("red circle", "blue square", "yellow star", "green triangle");
        as(Platform.KEY_A).body(Map.of("image", base64("tall.jpg"), "labels", labels, "model", SECOND))
                .post("/v1/classify").then().statusCode(200).body("model", equalTo(SECOND))
                .body("predictions[0].label", equalTo("blue square"));
        as(Platform.KEY_A).body(Map.of("labels", labels, "model", SECOND)).put("/v1/classifiers/small-shapes").then()
                .statusCode(201).body("model", equalTo(SECOND));
        as(Platform.KEY_A).body(Map.of("image", base64("large.jpg"))).post("/v1/classifiers/small-shapes/classify")
                .then().statusCode(200).body("model", equalTo(SECOND))
                .body("predictions[0].label", equalTo("yellow star"));
        as(Platform.KEY_A).body(Map.of("image", base64("tall.jpg"), "labels", labels, "model", "nope"))
                .post("/v1/classify").then().statusCode(404).contentType("application/problem+json");
        as(Platform.KEY_A).body(Map.of("labels", labels, "model", "nope")).put("/v1/classifiers/x").then()
                .statusCode(404);
    }
}
