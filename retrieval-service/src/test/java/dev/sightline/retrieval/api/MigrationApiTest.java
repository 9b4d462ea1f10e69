package dev.sightline.retrieval.api;

import static dev.sightline.retrieval.support.Tenants.as;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.nullValue;

import dev.sightline.retrieval.support.Tenants;
import io.quarkus.test.junit.QuarkusTest;
import java.nio.charset.StandardCharsets;
import java.util.Base64;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * Starting, reading and cancelling migrations, what is refused, and what writes meanwhile leave for the job. The
 * worker is off in these tests (it needs embed-service): jobs stay queued here; the gateway's MigrationE2ETest runs
 * them with the real services.
 */
@QuarkusTest
class MigrationApiTest {

    private static final String PROBLEMS = "https://sightline.dev/problems/";
    private static final byte[] PNG = "an uploaded image, bytes as received".getBytes(StandardCharsets.UTF_8);

    @Test
    void aMigrationIsQueuedWithItsCountAndShownOnTheCollection() {
        String t = Tenants.fresh();
        collection(t, "docs", "none");
        upsert(t, "docs", text("a", "a red circle"), text("b", "a blue square"));

        String id = as(t).body(Map.of("model", "next", "dimension", 3)).post("/collections/docs/migrations").then()
                .statusCode(202).body("state", equalTo("queued")).body("collection", equalTo("docs"))
                .body("from_model", equalTo("test")).body("model", equalTo("next")).body("dimension", equalTo(3))
                .body("done", equalTo(0)).body("total", equalTo(2)).body("written_meanwhile", equalTo(0))
                .extract().path("id");
        as(t).get("/collections/docs/migrations/" + id).then().statusCode(200).body("state", equalTo("queued"));
        as(t).get("/collections/docs").then().statusCode(200).body("model", equalTo("test"))
                .body("migration.id", equalTo(id));
        // The shadow is no collection of the tenant's list.
        as(t).get("/collections").then().statusCode(200).body("collections.name", equalTo(List.of("docs")));

        // Writes meanwhile are listed for the job, deletes too; the same id once.
        upsert(t, "docs", text("c", "a green star"));
        upsert(t, "docs", text("c", "a yellow star"));
        as(t).delete("/collections/docs/items/a").then().statusCode(204);
        as(t).get("/collections/docs/migrations/" + id).then().body("written_meanwhile", equalTo(2));
    }

    @Test
    void refusesTheSameModelASecondMigrationAndItemsThatCannotBeEmbeddedAgain() {
        String t = Tenants.fresh();
        collection(t, "docs", "none");
        upsert(t, "docs", text("a", "a red circle"));
        start(t, "docs", "test").statusCode(409).body("detail", equalTo("Collection docs holds test already."));
        String id = start(t, "docs", "next").statusCode(202).extract().path("id");
        start(t, "docs", "other").statusCode(409).body("type", equalTo(PROBLEMS + "conflict"))
                .body("detail", equalTo("Collection docs is migrating to next already (migration " + id + ")."));

        collection(t, "thumbs", "thumbnail");
        upsert(t, "thumbs", image("cat", "thumbnail"));
        start(t, "thumbs", "next").statusCode(409).body("detail", equalTo("Collection thumbs keeps media thumbnail:"
                + " its 1 image items cannot be embedded again (a thumbnail is not good enough); only a collection"
                + " created with media original keeps what a new model needs."));

        collection(t, "vectors", "none");
        upsert(t, "vectors", Map.of("id", "v", "vector", new float[] {1, 0, 0, 0}, "modality", "text"));
        start(t, "vectors", "next").statusCode(409).body("detail", equalTo("Collection vectors holds 1 items written"
                + " as vectors, with no text or image to embed again."));

        collection(t, "full", "original");
        upsert(t, "full", image("cat", "original"), text("caption", "a cat"));
        start(t, "full", "next").statusCode(202).body("total", equalTo(2));
    }

    @Test
    void cancellingLeavesTheCollectionAsItWasAndFinishedJobsCannotBeCancelled() {
        String t = Tenants.fresh();
        collection(t, "docs", "none");
        upsert(t, "docs", text("a", "a red circle"));
        String id = start(t, "docs", "next").statusCode(202).extract().path("id");
        as(t).delete("/collections/docs/migrations/" + id).then().statusCode(200).body("state", equalTo("cancelled"))
                .body("finished_at", org.hamcrest.Matchers.notNullValue());
        as(t).delete("/collections/docs/migrations/" + id).then().statusCode(409)
                .body("detail", equalTo("Migration " + id + " has cancelled; only a queued or running migration can"
                        + " be cancelled."));
        as(t).get("/collections/docs").then().statusCode(200).body("model", equalTo("test"))
                .body("migration", nullValue()).body("counts.text", equalTo(1));
        // A new migration may start again.
        start(t, "docs", "next").statusCode(202);
    }

    @Test
    void migrationsBelongToTheirTenantAndCollection() {
        String t = Tenants.fresh();
        collection(t, "docs", "none");
        upsert(t, "docs", text("a", "x"));
        String id = start(t, "docs", "next").statusCode(202).extract().path("id");
        String other = Tenants.fresh();
        collection(other, "docs", "none");
        as(other).get("/collections/docs/migrations/" + id).then().statusCode(404);
        as(other).delete("/collections/docs/migrations/" + id).then().statusCode(404);
        collection(t, "else", "none");
        as(t).get("/collections/else/migrations/" + id).then().statusCode(404);
        as(t).get("/collections/docs/migrations/not-a-uuid").then().statusCode(404)
                .body("detail", equalTo("Migration not-a-uuid does not exist."));
        start(t, "missing", "next").statusCode(404);
        as(t).body(Map.of("model", "next")).post("/collections/docs/migrations").then().statusCode(400);
        as(t).body(Map.of("model", "next", "dimension", 0)).post("/collections/docs/migrations").then()
                .statusCode(400);
    }

    @Test
    void deletingTheCollectionCancelsItsMigration() {
        String t = Tenants.fresh();
        collection(t, "docs", "none");
        upsert(t, "docs", text("a", "x"));
        String id = start(t, "docs", "next").statusCode(202).extract().path("id");
        as(t).delete("/collections/docs").then().statusCode(204);
        as(t).get("/collections/docs/migrations/" + id).then().statusCode(200).body("state", equalTo("cancelled"))
                .body("error", equalTo("the collection was deleted"));
        // The name is free for a new collection, with nothing of the old one's shadow in it.
        collection(t, "docs", "none");
        as(t).get("/collections/docs").then().body("counts.text", equalTo(0));
    }

    @Test
    void aWriteOrSearchOfVectorsFromAnotherModelIsAModelChangedProblem() {
        String t = Tenants.fresh();
        collection(t, "docs", "none");
        as(t).body(Map.of("items", List.of(Map.of("id", "a", "vector", new float[] {1, 0, 0, 0}, "modality", "text")),
                "model", "older")).post("/collections/docs/items").then().statusCode(409)
                .body("type", equalTo(PROBLEMS + "model-changed"))
                .body("detail", equalTo("Collection docs holds the model test now, not older."));
        as(t).body(Map.of("vector", new float[] {1, 0, 0, 0}, "model", "older")).post("/collections/docs/search")
                .then().statusCode(409).body("type", equalTo(PROBLEMS + "model-changed"));
        as(t).body(Map.of("vector", new float[] {1, 0, 0, 0}, "model", "test")).post("/collections/docs/search")
                .then().statusCode(200);
    }

    private static io.restassured.response.ValidatableResponse start(String tenant, String name, String model) {
        return as(tenant).body(Map.of("model", model, "dimension", 3)).post("/collections/" + name + "/migrations")
                .then();
    }

    private static void collection(String tenant, String name, String media) {
        as(tenant).body(Map.of("dimension", 4, "model", "test", "media", media)).put("/collections/" + name).then()
                .statusCode(201);
    }

    @SafeVarargs
    private static void upsert(String tenant, String name, Map<String, Object>... items) {
        as(tenant).body(Map.of("items", List.of(items))).post("/collections/" + name + "/items").then()
                .statusCode(200);
    }

    private static Map<String, Object> text(String id, String text) {
        return Map.of("id", id, "vector", new float[] {1, 0, 0, 0}, "modality", "text", "text", text);
    }

    /** An image item with its source hash and, for "original", the uploaded bytes; "thumbnail" keeps a thumbnail. */
    private static Map<String, Object> image(String id, String keep) {
        String data = Base64.getEncoder().encodeToString(PNG);
        Map<String, Object> media = keep.equals("original")
                ? Map.of("source_sha256", sha(PNG), "thumbnail", Map.of("content_type", "image/jpeg", "data", data),
                        "original", Map.of("content_type", "image/png", "data", data))
                : Map.of("source_sha256", sha(PNG), "thumbnail", Map.of("content_type", "image/jpeg", "data", data));
        return Map.of("id", id, "vector", new float[] {0, 1, 0, 0}, "modality", "image", "media", media);
    }

    private static String sha(byte[] b) {
        try {
            return HexFormat.of().formatHex(java.security.MessageDigest.getInstance("SHA-256").digest(b));
        } catch (java.security.NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }
}
