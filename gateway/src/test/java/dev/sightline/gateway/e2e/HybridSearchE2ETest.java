package dev.sightline.gateway.e2e;

import static dev.sightline.gateway.support.Gateway.as;
import static org.hamcrest.Matchers.contains;
import static org.hamcrest.Matchers.equalTo;
import static org.junit.jupiter.api.Assertions.assertNotEquals;

import dev.sightline.gateway.support.Gateway;
import dev.sightline.gateway.support.Platform;
import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.junit.QuarkusTest;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * Keyword and hybrid search through the gateway with the real model: a caption holding a rare catalogue number
 * comes first for a hybrid search of it, where the vector ranking alone puts another caption first.
 */
@QuarkusTest
@QuarkusTestResource(Platform.class)
class HybridSearchE2ETest {

    @Test
    void aRareKeywordRanksItsCaptionFirstInHybridButNotInVectorSearch() {
        as(Platform.KEY_A).body(Map.of("name", "catalogue")).post("/v1/collections").then().statusCode(201);
        List<Map<String, Object>> items = new ArrayList<>();
        String[] colours = {"red", "green", "blue", "yellow", "purple"};
        String[] shapes = {"circle", "square", "triangle", "star", "cross"};
        for (String c : colours) {
            for (String s : shapes) {
                items.add(Map.of("id", c + "-" + s, "text", "a photo of a " + c + " " + s + "."));
            }
        }
        // The rare item's caption holds every word of the query, among words that pull its vector elsewhere.
        items.add(Map.of("id", "zx81", "text", "a photo of a blue square, a green star and a red circle, catalogue"
                + " zx81.", "metadata", Map.of("file", "scans/zx81-front.jpg")));
        as(Platform.KEY_A).body(Map.of("items", items)).post("/v1/collections/catalogue/items").then().statusCode(200);

        String byVector = as(Platform.KEY_A).body(Map.of("query", Map.of("text", "red circle zx81"), "top_k", 5))
                .post("/v1/collections/catalogue/search").then().statusCode(200).extract().path("results[0].id");
        assertNotEquals("zx81", byVector, "the vector ranking alone already puts the rare item first");
        as(Platform.KEY_A).body(Map.of("query", Map.of("text", "red circle zx81"), "mode", "hybrid", "top_k", 5))
                .post("/v1/collections/catalogue/search").then().statusCode(200)
                .body("results[0].id", equalTo("zx81")).body("results[0].matched", contains("vector", "keyword"))
                .body("model", equalTo("sightline/tiny-clip"));
        as(Platform.KEY_A).body(Map.of("query", Map.of("text", "zx81"), "mode", "keyword"))
                .post("/v1/collections/catalogue/search").then().statusCode(200).body("results.id", contains("zx81"));
        // Metadata strings are words too: the file name's "front".
        as(Platform.KEY_A).body(Map.of("query", Map.of("text", "front"), "mode", "keyword"))
                .post("/v1/collections/catalogue/search").then().body("results.id", contains("zx81"));
        // Another tenant's keyword search does not reach these items.
        as(Platform.KEY_B).body(Map.of("query", Map.of("text", "zx81"), "mode", "keyword"))
                .post("/v1/collections/catalogue/search").then().statusCode(404);
        Gateway.invalid(Platform.KEY_A).body(Map.of("query", Map.of("item_id", "zx81"), "mode", "keyword"))
                .post("/v1/collections/catalogue/search").then().statusCode(400)
                .body("detail", equalTo("mode keyword searches by text: give query.text."));
    }
}
