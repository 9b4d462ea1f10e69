package dev.sightline.retrieval.api;

import static dev.sightline.retrieval.support.Tenants.as;
import static org.hamcrest.Matchers.contains;
import static org.hamcrest.Matchers.empty;

import dev.sightline.retrieval.support.Tenants;
import io.quarkus.test.junit.QuarkusTest;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** One tenant can never read, search, list, write or delete another's data; it sees a 404, not a 403. */
@QuarkusTest
class TenantIsolationTest {

    @Test
    void tenantsSeeOnlyTheirOwnCollectionsAndItems() {
        String a = Tenants.fresh();
        String b = Tenants.fresh();
        Tenants.collection(a, "shared-name", 2);
        Tenants.upsert(a, "shared-name", List.of(Tenants.item("x", new float[] {1, 0}, "image")));

        as(b).get("/collections").then().statusCode(200).body("collections", empty());
        as(b).get("/collections/shared-name").then().statusCode(404);
        as(b).get("/collections/shared-name/items/x").then().statusCode(404);
        as(b).body(Map.of("vector", new float[] {1, 0})).post("/collections/shared-name/search").then().statusCode(404);
        as(b).body(Map.of("items", List.of(Tenants.item("y", new float[] {1, 0}, "image"))))
                .post("/collections/shared-name/items").then().statusCode(404);
        as(b).delete("/collections/shared-name/items/x").then().statusCode(404);
        as(b).delete("/collections/shared-name").then().statusCode(404);

        // B may use the same name for its own collection, of another dimension, without touching A's.
        Tenants.collection(b, "shared-name", 3);
        Tenants.upsert(b, "shared-name", List.of(Tenants.item("x", new float[] {0, 0, 1}, "text")));
        as(a).body(Map.of("vector", new float[] {1, 0})).post("/collections/shared-name/search").then()
                .statusCode(200).body("results.id", contains("x")).body("results.modality", contains("image"));
        as(a).get("/collections").then().body("collections.name", contains("shared-name"));
    }
}
