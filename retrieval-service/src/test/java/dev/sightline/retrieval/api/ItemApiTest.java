package dev.sightline.retrieval.api;

import static dev.sightline.retrieval.support.Tenants.as;
import static dev.sightline.retrieval.support.Tenants.item;
import static org.hamcrest.Matchers.contains;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.nullValue;
import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.sightline.retrieval.support.Tenants;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.response.ValidatableResponse;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

@QuarkusTest
class ItemApiTest {

    private String tenant;

    @BeforeEach
    void collection() {
        tenant = Tenants.fresh();
        Tenants.collection(tenant, "c", 3);
    }

    private ValidatableResponse upsert(List<Map<String, Object>> items) {
        return as(tenant).body(Map.of("items", items)).post("/collections/c/items").then();
    }

    private int count() {
        Map<String, Integer> counts = as(tenant).get("/collections/c").then().extract().jsonPath().getMap("counts");
        return counts.values().stream().mapToInt(Integer::intValue).sum();
    }

    @Test
    void listsItemsInIdOrderAPageAtATime() {
        List<Map<String, Object>> items = new java.util.ArrayList<>();
        for (String id : List.of("b", "a", "d", "c", "e")) {
            items.add(Tenants.item(id, new float[] {1, 0, 0}, "text"));
        }
        upsert(items).statusCode(200);
        as(tenant).get("/collections/c/items?limit=2").then().statusCode(200).body("items.id", contains("a", "b"))
                .body("next_after", equalTo("b")).body("items[0].vector", nullValue());
        as(tenant).get("/collections/c/items?limit=2&after=b").then().body("items.id", contains("c", "d"))
                .body("next_after", equalTo("d"));
        as(tenant).get("/collections/c/items?limit=2&after=d").then().body("items.id", contains("e"))
                .body("next_after", nullValue());
        as(tenant).get("/collections/c/items").then().body("items.size()", equalTo(5)).body("next_after", nullValue());
        as(tenant).get("/collections/c/items?limit=0").then().statusCode(400)
                .body("detail", equalTo("limit must be an integer from 1 to 1000."));
        as(tenant).get("/collections/c/items?limit=x").then().statusCode(400);
        as(tenant).get("/collections/c/items?after=a%2Fb").then().statusCode(400);
        as(Tenants.fresh()).get("/collections/c/items").then().statusCode(404);
    }

    @Test
    void storesAndReadsItemsWithAndWithoutVector() {
        Map<String, Object> it = new HashMap<>(item("cat-1", new float[] {0.25f, -1.5f, 3f}, "text",
                Map.of("tags", List.of("a", "b"), "n", 3)));
        it.put("text", "a photo of a cat");
        upsert(List.of(it)).statusCode(200).body("upserted", equalTo(1));
        as(tenant).get("/collections/c/items/cat-1").then().statusCode(200).body("id", equalTo("cat-1"))
                .body("modality", equalTo("text")).body("text", equalTo("a photo of a cat"))
                .body("metadata.tags", contains("a", "b")).body("vector", nullValue()).body("source_sha256", nullValue());
        List<Float> v = as(tenant).get("/collections/c/items/cat-1?include=vector").then().statusCode(200)
                .extract().jsonPath().getList("vector", Float.class);
        assertEquals(List.of(0.25f, -1.5f, 3f), v);
        as(tenant).delete("/collections/c/items/cat-1").then().statusCode(204);
        as(tenant).get("/collections/c/items/cat-1").then().statusCode(404);
        as(tenant).delete("/collections/c/items/cat-1").then().statusCode(404);
    }

    @Test
    void upsertIsIdempotentById() {
        List<Map<String, Object>> batch = List.of(item("a", new float[] {1, 0, 0}, "image"),
                item("b", new float[] {0, 1, 0}, "image"));
        upsert(batch).statusCode(200);
        upsert(batch).statusCode(200);
        assertEquals(2, count());
        upsert(List.of(item("a", new float[] {0, 0, 1}, "text", Map.of("v", 2)))).statusCode(200);
        assertEquals(2, count());
        as(tenant).get("/collections/c/items/a?include=vector").then().body("modality", equalTo("text"))
                .body("metadata.v", equalTo(2)).body("vector", contains(0f, 0f, 1f));
    }

    @Test
    void aBatchWithOneBadItemWritesNothing() {
        upsert(List.of(item("ok", new float[] {1, 0, 0}, "image"), item("bad", new float[] {1, 0}, "image")))
                .statusCode(400).contentType("application/problem+json")
                .body("type", equalTo("https://sightline.dev/problems/dimension-mismatch"));
        assertEquals(0, count());
    }

    @Test
    void refusesBadVectorsIdsAndBatches() {
        upsert(List.of(item("z", new float[] {0, 0, 0}, "image"))).statusCode(400)
                .body("type", equalTo("https://sightline.dev/problems/invalid-vector"));
        as(tenant).body("{\"items\":[{\"id\":\"inf\",\"vector\":[1e39,0,0],\"modality\":\"image\"}]}")
                .post("/collections/c/items").then().statusCode(400)
                .body("type", equalTo("https://sightline.dev/problems/invalid-vector"));
        as(tenant).body("{\"items\":[{\"id\":\"nan\",\"vector\":[NaN,0,0],\"modality\":\"image\"}]}")
                .post("/collections/c/items").then().statusCode(400).contentType("application/problem+json");
        upsert(List.of(item("d", new float[] {1, 0, 0}, "image"), item("d", new float[] {0, 1, 0}, "image")))
                .statusCode(400).body("detail", equalTo("items[1]: duplicate id d."));
        upsert(List.of(item("has space", new float[] {1, 0, 0}, "image"))).statusCode(400);
        upsert(List.of(item("x".repeat(129), new float[] {1, 0, 0}, "image"))).statusCode(400);
        upsert(List.of(item("m", new float[] {1, 0, 0}, "audio"))).statusCode(400);
        upsert(List.of(item("big", new float[] {1, 0, 0}, "image", Map.of("blob", "x".repeat(17000)))))
                .statusCode(413).contentType("application/problem+json");
        upsert(Collections.nCopies(1001, item("same", new float[] {1, 0, 0}, "image"))).statusCode(413);
        as(tenant).body(Map.of("items", List.of(item("u", new float[] {1, 0, 0}, "image"))))
                .post("/collections/unknown/items").then().statusCode(404);
        as(tenant).body("{\"items\":[{\"id\":\"s\",\"vector\":\"[1,0,0]\",\"modality\":\"image\"}]}")
                .post("/collections/c/items").then().statusCode(400).contentType("application/problem+json");
        assertEquals(0, count());
    }

    @Test
    void concurrentOverlappingUpsertsAllSucceed() throws Exception {
        ExecutorService pool = Executors.newFixedThreadPool(8);
        try {
            List<Future<Integer>> results = new ArrayList<>();
            for (int w = 0; w < 8; w++) {
                int writer = w;
                results.add(pool.submit(() -> {
                    List<Map<String, Object>> batch = new ArrayList<>();
                    for (int i = 0; i < 50; i++) {
                        // Writers overlap on ids in opposite orders; the service must not deadlock or fail.
                        int id = writer % 2 == 0 ? i : 49 - i;
                        batch.add(item("k" + id, new float[] {1, writer, i}, "image"));
                    }
                    return as(tenant).body(Map.of("items", batch)).post("/collections/c/items").then().extract()
                            .statusCode();
                }));
            }
            for (Future<Integer> f : results) {
                assertEquals(200, f.get());
            }
        } finally {
            pool.shutdown();
        }
        assertEquals(50, count());
    }
}
