package dev.sightline.retrieval.api;

import static dev.sightline.retrieval.support.Tenants.as;
import static dev.sightline.retrieval.support.Tenants.item;
import static org.hamcrest.Matchers.contains;
import static org.hamcrest.Matchers.empty;
import static org.hamcrest.Matchers.equalTo;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.sightline.retrieval.support.Tenants;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.path.json.JsonPath;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

@QuarkusTest
class SearchTest {

    private String tenant;

    @BeforeEach
    void collection() {
        tenant = Tenants.fresh();
        Tenants.collection(tenant, "c", 3);
        // Hand-picked: cosine to [1,0,0] is 1, 0.995, 0.894, 0.707, 0, -1 in this order.
        Tenants.upsert(tenant, "c", List.of(
                item("far", new float[] {-1, 0, 0}, "image", Map.of("colour", "red")),
                item("orth", new float[] {0, 1, 0}, "text", Map.of("colour", "blue")),
                item("diag", new float[] {1, 1, 0}, "image", Map.of("colour", "red", "size", "big")),
                item("exact", new float[] {2, 0, 0}, "image", Map.of("colour", "blue")),
                item("near", new float[] {1, 0.1f, 0}, "text", Map.of("colour", "red")),
                item("mid", new float[] {1, 0.5f, 0}, "text", Map.of("colour", "green"))));
    }

    private JsonPath search(Map<String, Object> body) {
        return as(tenant).body(body).post("/collections/c/search").then().statusCode(200).extract().jsonPath();
    }

    @Test
    void returnsExactNearestNeighbourOrderWithCosineScores() {
        JsonPath r = search(Map.of("vector", new float[] {1, 0, 0}, "top_k", 6));
        assertEquals(List.of("exact", "near", "mid", "diag", "orth", "far"), r.getList("results.id"));
        List<Float> scores = r.getList("results.score", Float.class);
        assertEquals(1.0, scores.get(0), 1e-6);
        assertEquals(1 / Math.sqrt(1.01), scores.get(1), 1e-6);
        assertEquals(1 / Math.sqrt(1.25), scores.get(2), 1e-6);
        assertEquals(1 / Math.sqrt(2), scores.get(3), 1e-6);
        assertEquals(0.0, scores.get(4), 1e-6);
        assertEquals(-1.0, scores.get(5), 1e-6);
    }

    @Test
    void honoursTopKModalityAndMinScore() {
        as(tenant).body(Map.of("vector", new float[] {1, 0, 0}, "top_k", 2)).post("/collections/c/search").then()
                .body("results.id", contains("exact", "near"));
        as(tenant).body(Map.of("vector", new float[] {1, 0, 0}, "modality", "text")).post("/collections/c/search")
                .then().body("results.id", contains("near", "mid", "orth"));
        as(tenant).body(Map.of("vector", new float[] {1, 0, 0}, "min_score", 0.8)).post("/collections/c/search")
                .then().body("results.id", contains("exact", "near", "mid"));
    }

    @Test
    void filtersByMetadataContainment() {
        as(tenant).body(Map.of("vector", new float[] {1, 0, 0}, "filter", Map.of("colour", "red")))
                .post("/collections/c/search").then().body("results.id", contains("near", "diag", "far"));
        as(tenant).body(Map.of("vector", new float[] {1, 0, 0}, "filter", Map.of("colour", "red", "size", "big")))
                .post("/collections/c/search").then().body("results.id", contains("diag"));
    }

    @Test
    void searchesByItemLeavingTheItemOut() {
        as(tenant).body(Map.of("item_id", "near", "top_k", 3)).post("/collections/c/search").then()
                .body("results.id", contains("exact", "mid", "diag"));
    }

    @Test
    void searchByItemScoresAgainstTheItemsStoredVector() {
        // near = [1, 0.1, 0]: cosine to exact [2,0,0], mid [1,0.5,0], diag [1,1,0], orth [0,1,0], far [-1,0,0].
        double n = Math.sqrt(1.01);
        JsonPath r = search(Map.of("item_id", "near", "top_k", 5));
        assertEquals(List.of("exact", "mid", "diag", "orth", "far"), r.getList("results.id"));
        List<Float> scores = r.getList("results.score", Float.class);
        assertEquals(1 / n, scores.get(0), 1e-6);
        assertEquals(1.05 / (n * Math.sqrt(1.25)), scores.get(1), 1e-6);
        assertEquals(1.1 / (n * Math.sqrt(2)), scores.get(2), 1e-6);
        assertEquals(0.1 / n, scores.get(3), 1e-6);
        assertEquals(-1 / n, scores.get(4), 1e-6);
        // Modality, filter and min_score apply as to a vector search.
        as(tenant).body(Map.of("item_id", "near", "modality", "image")).post("/collections/c/search").then()
                .body("results.id", contains("exact", "diag", "far"));
        as(tenant).body(Map.of("item_id", "near", "filter", Map.of("colour", "red"))).post("/collections/c/search")
                .then().body("results.id", contains("diag", "far"));
        as(tenant).body(Map.of("item_id", "near", "min_score", 0.9)).post("/collections/c/search").then()
                .body("results.id", contains("exact", "mid"));
    }

    @Test
    void searchByAnItemWithNoNeighboursIsEmptyAndByADeletedItemNotFound() {
        String t = Tenants.fresh();
        Tenants.collection(t, "solo", 3);
        Tenants.upsert(t, "solo", List.of(item("only", new float[] {1, 2, 3}, "image", Map.of("tag", "anything")),
                item("gone", new float[] {3, 2, 1}, "image")));
        as(t).body(Map.of("item_id", "only", "modality", "text")).post("/collections/solo/search").then()
                .statusCode(200).body("results", empty());
        as(t).body(Map.of("item_id", "gone")).post("/collections/solo/search").then().statusCode(200)
                .body("results.id", contains("only"));
        // The collection is cached now; the item's deletion must still answer 404, not an empty result.
        as(t).delete("/collections/solo/items/gone").then().statusCode(204);
        as(t).body(Map.of("item_id", "gone")).post("/collections/solo/search").then().statusCode(404)
                .contentType("application/problem+json").body("detail", equalTo(
                        "Item gone does not exist."));
        // Not even when the keyword ranking alone would have a result.
        as(t).body(Map.of("item_id", "gone", "mode", "hybrid", "keywords", "anything")).post(
                "/collections/solo/search").then().statusCode(404);
        as(t).body(Map.of("item_id", "only")).post("/collections/solo/search").then().statusCode(200)
                .body("results", empty());
    }

    @Test
    void searchByItemNeverReadsAnotherTenantsItemOfTheSameNames() {
        String other = Tenants.fresh();
        Tenants.collection(other, "c", 3);
        Tenants.upsert(other, "c", List.of(item("own", new float[] {0, 0, 1}, "text")));
        // "near" exists only in the first tenant's collection c.
        as(other).body(Map.of("item_id", "near")).post("/collections/c/search").then().statusCode(404);
        as(other).body(Map.of("item_id", "own")).post("/collections/c/search").then().statusCode(200)
                .body("results", empty());
        assertEquals(List.of("exact"), search(Map.of("item_id", "near", "top_k", 1)).getList("results.id"));
    }

    @Test
    void returnsTopKUnderASelectiveFilter() {
        String t = Tenants.fresh();
        Tenants.collection(t, "big", 8);
        java.util.Random random = new java.util.Random(11);
        for (int batch = 0; batch < 3; batch++) {
            List<Map<String, Object>> items = new ArrayList<>();
            for (int i = 0; i < 1000; i++) {
                int n = batch * 1000 + i;
                float[] v = new float[8];
                for (int d = 0; d < 8; d++) {
                    v[d] = (float) random.nextGaussian();
                }
                v[0] += 4; // everything sits near the query direction
                Map<String, Object> meta = new HashMap<>();
                meta.put("group", n % 100 == 0 ? "rare" : "common"); // 30 of 3000 match
                items.add(item("i" + n, v, "image", meta));
            }
            Tenants.upsert(t, "big", items);
        }
        float[] q = {1, 0, 0, 0, 0, 0, 0, 0};
        JsonPath r = as(t).body(Map.of("vector", q, "top_k", 25, "filter", Map.of("group", "rare"), "ef_search", 20))
                .post("/collections/big/search").then().statusCode(200).extract().jsonPath();
        List<String> ids = r.getList("results.id");
        assertEquals(25, ids.size(), "a selective filter must not starve the result: " + ids);
        for (String id : ids) {
            assertEquals(0, Integer.parseInt(id.substring(1)) % 100, id + " does not match the filter");
        }
        List<Float> scores = r.getList("results.score", Float.class);
        for (int i = 1; i < scores.size(); i++) {
            assertTrue(scores.get(i - 1) >= scores.get(i), "not sorted by score");
        }
    }
}
