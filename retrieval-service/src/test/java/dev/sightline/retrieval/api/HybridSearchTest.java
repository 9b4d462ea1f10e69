package dev.sightline.retrieval.api;

import static dev.sightline.retrieval.support.Tenants.as;
import static org.hamcrest.Matchers.contains;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.nullValue;

import dev.sightline.retrieval.support.Tenants;
import io.quarkus.test.junit.QuarkusTest;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * Keyword search over items' text and metadata strings, and hybrid search fusing it with the vector ranking by
 * reciprocal rank fusion, in exact orders.
 */
@QuarkusTest
class HybridSearchTest {

    private String tenant;

    @BeforeEach
    void collection() {
        tenant = Tenants.fresh();
        Tenants.collection(tenant, "c", 4);
        as(tenant).body(Map.of("items", List.of(
                item("a", new float[] {1, 0, 0, 0}, "a red circle", Map.of()),
                item("b", new float[] {0.9f, 0.1f, 0, 0}, "a red disc", Map.of()),
                item("c", new float[] {0.1f, 1, 0, 0}, "a blue square seen in Zanzibar", Map.of()),
                item("d", new float[] {0, 0, 1, 0}, "a green star", Map.of("path", "holiday/zanzibar.jpg")),
                item("e", new float[] {0, 0, 0, 1}, "a yellow cross", Map.of("kind", "image")))))
                .post("/collections/c/items").then().statusCode(200);
    }

    @Test
    void keywordSearchFindsWordsInTextsAndMetadataStrings() {
        as(tenant).body(Map.of("mode", "keyword", "keywords", "zanzibar", "top_k", 5)).post("/collections/c/search")
                .then().statusCode(200).body("results.id", contains("c", "d"))
                .body("results[0].matched", contains("keyword"));
        // Web search syntax: a phrase, and a word left out.
        as(tenant).body(Map.of("mode", "keyword", "keywords", "\"red disc\"")).post("/collections/c/search").then()
                .body("results.id", contains("b"));
        as(tenant).body(Map.of("mode", "keyword", "keywords", "red -circle")).post("/collections/c/search").then()
                .body("results.id", contains("b"));
        as(tenant).body(Map.of("mode", "keyword", "keywords", "nowhere")).post("/collections/c/search").then()
                .statusCode(200).body("results.size()", equalTo(0));
        // A query's punctuation splits words as the stored text's does: the path's "holiday/zanzibar.jpg".
        as(tenant).body(Map.of("mode", "keyword", "keywords", "holiday/zanzibar.jpg")).post("/collections/c/search")
                .then().body("results.id", contains("d"));
        as(tenant).body(Map.of("mode", "keyword", "keywords", "zanzibar-holiday")).post("/collections/c/search")
                .then().body("results.id", contains("d"));
    }

    @Test
    void hybridSearchRanksARareKeywordFirstWhereVectorsAloneDoNot() {
        float[] red = {1, 0, 0, 0};
        as(tenant).body(Map.of("vector", red, "top_k", 4)).post("/collections/c/search").then()
                .body("results.id", contains("a", "b", "c", "d")).body("results[0].matched", nullValue());
        // Fused: c is 3rd by vector and 1st by keyword (1/63 + 1/61), d 4th and 2nd (1/64 + 1/62), a 1st by vector only.
        as(tenant).body(Map.of("vector", red, "mode", "hybrid", "keywords", "zanzibar", "top_k", 4))
                .post("/collections/c/search").then().statusCode(200).body("results.id", contains("c", "d", "a", "b"))
                .body("results[0].matched", contains("vector", "keyword")).body("results[2].matched", contains("vector"))
                .body("results[0].score", equalTo((float) (1.0 / 63 + 1.0 / 61)));
        // Filters apply to both rankings.
        as(tenant).body(Map.of("vector", red, "mode", "hybrid", "keywords", "zanzibar", "top_k", 4,
                "filter", Map.of("path", "holiday/zanzibar.jpg"))).post("/collections/c/search").then()
                .body("results.id", contains("d")).body("results[0].matched", contains("vector", "keyword"));
        // By item: the item's vector, itself left out.
        as(tenant).body(Map.of("item_id", "a", "mode", "hybrid", "keywords", "zanzibar", "top_k", 2))
                .post("/collections/c/search").then().body("results.id", contains("c", "d"));
    }

    @Test
    void refusesWhatAModeCannotTake() {
        as(tenant).body(Map.of("mode", "keyword", "keywords", "x", "vector", new float[] {1, 0, 0, 0}))
                .post("/collections/c/search").then().statusCode(400)
                .body("detail", equalTo("A keyword search takes keywords, not a vector or item_id."));
        as(tenant).body(Map.of("mode", "hybrid", "vector", new float[] {1, 0, 0, 0})).post("/collections/c/search")
                .then().statusCode(400).body("detail", equalTo("A hybrid search needs keywords."));
        as(tenant).body(Map.of("keywords", "x", "vector", new float[] {1, 0, 0, 0})).post("/collections/c/search")
                .then().statusCode(400).body("detail", equalTo("keywords need mode keyword or hybrid."));
        as(tenant).body(Map.of("mode", "fuzzy", "keywords", "x")).post("/collections/c/search").then().statusCode(400)
                .body("detail", equalTo("mode must be vector, keyword or hybrid."));
        as(tenant).body(Map.of("mode", "keyword", "keywords", "x\u0000y")).post("/collections/c/search").then()
                .statusCode(400);
        as(tenant).body(Map.of("mode", "keyword", "keywords", "x".repeat(9000))).post("/collections/c/search").then()
                .statusCode(413);
    }

    private static Map<String, Object> item(String id, float[] v, String text, Map<String, Object> metadata) {
        Map<String, Object> m = new HashMap<>(Map.of("id", id, "vector", v, "modality", "text", "text", text));
        m.put("metadata", metadata);
        return m;
    }
}
