package dev.sightline.retrieval.api;

import static dev.sightline.retrieval.support.Tenants.as;
import static org.hamcrest.Matchers.contains;
import static org.hamcrest.Matchers.containsString;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.hamcrest.Matchers.equalTo;

import dev.sightline.retrieval.support.Tenants;
import io.agroal.api.AgroalDataSource;
import io.quarkus.test.junit.QuarkusTest;
import jakarta.inject.Inject;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

@QuarkusTest
class CollectionApiTest {

    @Inject
    AgroalDataSource dataSource;

    @Test
    void createsConfirmsAndRefusesConflictingCollections() {
        String t = Tenants.fresh();
        as(t).body(Map.of("dimension", 4, "model", "m1")).put("/collections/photos").then().statusCode(201)
                .body("name", equalTo("photos")).body("dimension", equalTo(4)).body("metric", equalTo("cosine"));
        as(t).body(Map.of("dimension", 4, "model", "m1")).put("/collections/photos").then().statusCode(200);
        as(t).body(Map.of("dimension", 5, "model", "m1")).put("/collections/photos").then().statusCode(409)
                .contentType("application/problem+json");
        as(t).body(Map.of("dimension", 4, "model", "m2")).put("/collections/photos").then().statusCode(409);
    }

    @Test
    void hnswSettingsAreChosenAtCreationShownAndUsedByTheIndex() throws Exception {
        String t = Tenants.fresh();
        as(t).body(Map.of("dimension", 4, "model", "m")).put("/collections/plain").then().statusCode(201)
                .body("hnsw.m", equalTo(16)).body("hnsw.ef_construction", equalTo(128));
        Map<String, Object> wide = Map.of("dimension", 4, "model", "m", "hnsw", Map.of("m", 24, "ef_construction", 100));
        as(t).body(wide).put("/collections/wide").then().statusCode(201).body("hnsw.m", equalTo(24))
                .body("hnsw.ef_construction", equalTo(100));
        as(t).body(wide).put("/collections/wide").then().statusCode(200);
        as(t).get("/collections/wide").then().statusCode(200).body("hnsw.m", equalTo(24));
        as(t).body(Map.of("dimension", 4, "model", "m", "hnsw", Map.of("m", 32))).put("/collections/wide").then()
                .statusCode(409).body("detail", containsString("hnsw m 24, ef_construction 100"));
        as(t).body(Map.of("dimension", 4, "model", "m")).put("/collections/wide").then().statusCode(409);
        // m alone: ef_construction is the default (128) or 2 × m, whichever is larger (pgvector needs at least 2 × m).
        as(t).body(Map.of("dimension", 4, "model", "m", "hnsw", Map.of("m", 48))).put("/collections/deep").then()
                .statusCode(201).body("hnsw.ef_construction", equalTo(128));
        assertEquals("{m=24,ef_construction=100}", indexOptions(t, "wide"));
        assertEquals("{m=16,ef_construction=128}", indexOptions(t, "plain"));
    }

    @Test
    void refusesHnswSettingsOutsideTheirBounds() {
        String t = Tenants.fresh();
        for (Object hnsw : List.of(Map.of("m", 1), Map.of("m", 65), Map.of("m", 16, "ef_construction", 31),
                Map.of("ef_construction", 513), List.of(16))) {
            as(t).body(Map.of("dimension", 4, "model", "m", "hnsw", hnsw)).put("/collections/x").then()
                    .statusCode(400).contentType("application/problem+json");
        }
        as(t).get("/collections/x").then().statusCode(404);
    }

    /** The reloptions of the collection's HNSW index, as PostgreSQL stores them. */
    private String indexOptions(String tenant, String name) throws Exception {
        try (Connection c = dataSource.getConnection(); PreparedStatement ps = c.prepareStatement(
                "SELECT i.reloptions::text FROM collections col JOIN pg_class i ON i.relname = 'items_c' || col.id"
                        + " || '_hnsw' WHERE col.tenant = ? AND col.name = ?")) {
            ps.setString(1, tenant);
            ps.setString(2, name);
            try (ResultSet rs = ps.executeQuery()) {
                return rs.next() ? rs.getString(1) : null;
            }
        }
    }

    @Test
    void listsAndCountsByModalityAndDeletes() {
        String t = Tenants.fresh();
        Tenants.collection(t, "b", 2);
        Tenants.collection(t, "a", 3);
        Tenants.upsert(t, "b", List.of(Tenants.item("1", new float[] {1, 0}, "image"),
                Tenants.item("2", new float[] {0, 1}, "image"), Tenants.item("3", new float[] {1, 1}, "text")));
        as(t).get("/collections").then().statusCode(200).body("collections.name", contains("a", "b"));
        as(t).get("/collections/b").then().statusCode(200).body("counts.image", equalTo(2))
                .body("counts.text", equalTo(1));
        as(t).delete("/collections/b").then().statusCode(204);
        as(t).get("/collections/b").then().statusCode(404).contentType("application/problem+json");
        as(t).delete("/collections/b").then().statusCode(404);
        as(t).get("/collections").then().body("collections.name", contains("a"));
        // The name is free again, with another dimension.
        Tenants.collection(t, "b", 7);
        as(t).get("/collections/b").then().body("dimension", equalTo(7)).body("counts.image", equalTo(0));
    }

    @Test
    void refusesInvalidNamesDimensionsAndMissingTenant() {
        String t = Tenants.fresh();
        for (String bad : List.of("Upper", "-dash", "a b", "x".repeat(64), "semi;colon")) {
            as(t).body(Map.of("dimension", 4, "model", "m")).put("/collections/" + bad.replace(" ", "%20")).then()
                    .statusCode(400).contentType("application/problem+json");
        }
        as(t).body(Map.of("dimension", 0, "model", "m")).put("/collections/x").then().statusCode(400);
        as(t).body(Map.of("dimension", 2001, "model", "m")).put("/collections/x").then().statusCode(400);
        as(t).body(Map.of("model", "m")).put("/collections/x").then().statusCode(400);
        Tenants.internal().contentType("application/json").body(Map.of("dimension", 4, "model", "m")).put("/collections/x")
                .then().statusCode(400).body("type", equalTo("https://sightline.dev/problems/missing-tenant"));
        Tenants.internal().header("X-Sightline-Tenant", "Bad Tenant!").get("/collections").then().statusCode(400)
                .body("type", equalTo("https://sightline.dev/problems/missing-tenant"));
    }
}
