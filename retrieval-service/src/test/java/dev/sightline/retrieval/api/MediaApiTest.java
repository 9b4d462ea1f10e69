package dev.sightline.retrieval.api;

import static dev.sightline.retrieval.support.Tenants.as;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.nullValue;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.sightline.retrieval.support.Tenants;
import io.agroal.api.AgroalDataSource;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.response.ValidatableResponse;
import jakarta.inject.Inject;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.util.Base64;
import java.util.HashMap;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** Kept thumbnails and originals: stored with their item, once per tenant, served with their hash, removed last. */
@QuarkusTest
class MediaApiTest {

    private static final byte[] THUMB_A = "thumbnail A: any bytes stand for a JPEG here".getBytes(StandardCharsets.UTF_8);
    private static final byte[] THUMB_B = "thumbnail B".getBytes(StandardCharsets.UTF_8);
    private static final byte[] ORIGINAL = "the uploaded PNG, as received".getBytes(StandardCharsets.UTF_8);

    @Inject
    AgroalDataSource dataSource;

    @Test
    void aKeptThumbnailIsServedWithItsTypeHashAndPrivateCaching() {
        String t = Tenants.fresh();
        collection(t, "photos", "thumbnail");
        upsert(t, "photos", image("cat", THUMB_A, null, sha(ORIGINAL)));
        byte[] body = as(t).get("/collections/photos/items/cat/thumbnail").then().statusCode(200)
                .contentType("image/jpeg").header("ETag", "\"" + sha(THUMB_A) + "\"")
                .header("Cache-Control", containsString("private")).extract().asByteArray();
        assertArrayEquals(THUMB_A, body);
        // The tag the client holds: 304 and no body; a weak form of it too; another tag: the bytes.
        as(t).header("If-None-Match", "\"" + sha(THUMB_A) + "\"").get("/collections/photos/items/cat/thumbnail")
                .then().statusCode(304).header("ETag", "\"" + sha(THUMB_A) + "\"");
        as(t).header("If-None-Match", "W/\"" + sha(THUMB_A) + "\"").get("/collections/photos/items/cat/thumbnail")
                .then().statusCode(304);
        as(t).header("If-None-Match", "\"" + sha(THUMB_B) + "\"").get("/collections/photos/items/cat/thumbnail")
                .then().statusCode(200);
        // A thumbnail collection keeps no original; an unknown item is said to be unknown.
        as(t).get("/collections/photos/items/cat/original").then().statusCode(404)
                .contentType("application/problem+json").body("detail", containsString("keeps no original"));
        as(t).get("/collections/photos/items/dog/thumbnail").then().statusCode(404)
                .body("detail", equalTo("Item dog does not exist."));
        assertEquals(1, blobs(t));
    }

    @Test
    void originalCollectionsKeepTheUploadedBytesAndOthersKeepOnlyWhatTheirModeSays() {
        String t = Tenants.fresh();
        collection(t, "full", "original");
        collection(t, "small", "thumbnail");
        collection(t, "bare", "none");
        for (String c : List.of("full", "small", "bare")) {
            upsert(t, c, image("cat", THUMB_A, ORIGINAL, null));
        }
        assertArrayEquals(ORIGINAL, as(t).get("/collections/full/items/cat/original").then().statusCode(200)
                .contentType("image/png").header("ETag", "\"" + sha(ORIGINAL) + "\"").extract().asByteArray());
        as(t).get("/collections/small/items/cat/original").then().statusCode(404);
        as(t).get("/collections/bare/items/cat/thumbnail").then().statusCode(404);
        // The source hash is kept in every mode; two blobs in all (the thumbnail once for two collections).
        for (String c : List.of("full", "small", "bare")) {
            assertEquals(sha(ORIGINAL), sourceHash(t, c, "cat"));
            as(t).get("/collections/" + c + "/items/cat").then().statusCode(200)
                    .body("source_sha256", equalTo(sha(ORIGINAL)));
        }
        assertEquals(2, blobs(t));
    }

    @Test
    void theSameBytesAreStoredOncePerTenantAndGoWithTheirLastItem() {
        String t = Tenants.fresh();
        String other = Tenants.fresh();
        collection(t, "a", "thumbnail");
        collection(t, "b", "thumbnail");
        collection(other, "a", "thumbnail");
        upsert(t, "a", image("x", THUMB_A, null, sha(ORIGINAL)), image("y", THUMB_A, null, sha(ORIGINAL)));
        upsert(t, "b", image("x", THUMB_A, null, sha(ORIGINAL)));
        upsert(other, "a", image("x", THUMB_A, null, sha(ORIGINAL)));
        assertEquals(1, blobs(t));
        assertEquals(1, blobs(other));
        as(t).delete("/collections/a/items/x").then().statusCode(204);
        as(t).delete("/collections/a/items/y").then().statusCode(204);
        assertEquals(1, blobs(t)); // collection b still names it
        as(t).get("/collections/b/items/x/thumbnail").then().statusCode(200);
        as(t).delete("/collections/b").then().statusCode(204);
        assertEquals(0, blobs(t));
        assertEquals(1, blobs(other)); // another tenant's copy is its own
        as(other).get("/collections/a/items/x/thumbnail").then().statusCode(200);
    }

    @Test
    void replacingAnItemReleasesWhatItKeptBefore() {
        String t = Tenants.fresh();
        collection(t, "photos", "thumbnail");
        upsert(t, "photos", image("cat", THUMB_A, null, sha(ORIGINAL)));
        upsert(t, "photos", image("cat", THUMB_B, null, sha(ORIGINAL)));
        assertEquals(1, blobs(t));
        assertArrayEquals(THUMB_B, as(t).get("/collections/photos/items/cat/thumbnail").then().statusCode(200)
                .extract().asByteArray());
        // A bulk line of the same id keeps nothing: the thumbnail goes.
        bulk(t, "{\"id\":\"cat\",\"vector\":[1,0,0,0],\"modality\":\"image\"}\n").statusCode(200)
                .body("upserted", equalTo(1));
        as(t).get("/collections/photos/items/cat/thumbnail").then().statusCode(404);
        assertEquals(0, blobs(t));
    }

    @Test
    void aRefusedBatchKeepsNoMedia() {
        String t = Tenants.fresh();
        collection(t, "photos", "original");
        Map<String, Object> good = image("cat", THUMB_A, ORIGINAL, null);
        Map<String, Object> wrongDimension = new HashMap<>(image("dog", THUMB_B, null, sha(ORIGINAL)));
        wrongDimension.put("vector", new float[] {1, 0, 0});
        as(t).body(Map.of("items", List.of(good, wrongDimension))).post("/collections/photos/items").then()
                .statusCode(400);
        assertEquals(0, blobs(t));
        as(t).get("/collections/photos/items/cat/thumbnail").then().statusCode(404);
    }

    @Test
    void badMediaIsRefusedWithAProblemNamingIt() {
        String t = Tenants.fresh();
        collection(t, "photos", "original");
        Map<String, Object> text = new HashMap<>(image("note", THUMB_A, null, sha(ORIGINAL)));
        text.put("modality", "text");
        refused(t, text, "items[0].media: only image items keep media.");
        refused(t, image("cat", THUMB_A, ORIGINAL, sha(THUMB_B)),
                "items[0].media.source_sha256 is not the SHA-256 of the original.");
        refused(t, image("cat", THUMB_A, null, "ABC"), "items[0].media.source_sha256 must be 64 lower-case hex digits.");
        refused(t, image("cat", THUMB_A, null, null), "items[0].media.source_sha256 is required.");
        Map<String, Object> script = new HashMap<>(image("cat", THUMB_A, null, sha(ORIGINAL)));
        script.put("media", Map.of("source_sha256", sha(ORIGINAL), "thumbnail",
                Map.of("content_type", "text/html", "data", b64(THUMB_A))));
        refused(t, script, "items[0].media.thumbnail.content_type must be an image/… media type.");
        bulk(t, "{\"id\":\"cat\",\"vector\":[1,0,0,0],\"modality\":\"image\",\"media\":{\"source_sha256\":\""
                + sha(ORIGINAL) + "\"}}\n").statusCode(400).body("detail", containsString("line 1: media is taken by POST"));
        as(t).body(Map.of("dimension", 4, "model", "test", "media", "everything")).put("/collections/other").then()
                .statusCode(400).body("detail", equalTo("media must be none, thumbnail or original."));
        as(t).body(Map.of("dimension", 4, "model", "test", "media", "none")).put("/collections/photos").then()
                .statusCode(409).body("detail", containsString("media original"));
        assertEquals(0, blobs(t));
    }

    @Test
    void anotherTenantCannotReadKeptMedia() {
        String t = Tenants.fresh();
        collection(t, "photos", "original");
        upsert(t, "photos", image("cat", THUMB_A, ORIGINAL, null));
        String intruder = Tenants.fresh();
        as(intruder).get("/collections/photos/items/cat/thumbnail").then().statusCode(404)
                .body("detail", equalTo("Collection photos does not exist."));
        collection(intruder, "photos", "original");
        as(intruder).get("/collections/photos/items/cat/original").then().statusCode(404)
                .body("detail", equalTo("Item cat does not exist."));
    }

    @Test
    void searchResultsSayWhichItemsKeepAThumbnail() {
        String t = Tenants.fresh();
        collection(t, "photos", "thumbnail");
        upsert(t, "photos", image("cat", THUMB_A, null, sha(ORIGINAL)),
                Map.of("id", "caption", "vector", new float[] {0.9f, 0.1f, 0, 0}, "modality", "text", "text", "a cat"));
        as(t).body(Map.of("vector", new float[] {1, 0, 0, 0}, "top_k", 2)).post("/collections/photos/search").then()
                .statusCode(200).body("results[0].id", equalTo("cat")).body("results[0].thumbnail", equalTo(true))
                .body("results[1].id", equalTo("caption")).body("results[1].thumbnail", nullValue());
    }

    private static void collection(String tenant, String name, String media) {
        as(tenant).body(Map.of("dimension", 4, "model", "test", "media", media)).put("/collections/" + name).then()
                .statusCode(201).body("media", equalTo(media));
    }

    @SafeVarargs
    private static void upsert(String tenant, String collection, Map<String, Object>... items) {
        as(tenant).body(Map.of("items", List.of(items))).post("/collections/" + collection + "/items").then()
                .statusCode(200).body("upserted", equalTo(items.length));
    }

    private static ValidatableResponse bulk(String tenant, String ndjson) {
        return Tenants.internal().header("X-Sightline-Tenant", tenant).contentType("application/x-ndjson")
                .body(ndjson.getBytes(StandardCharsets.UTF_8)).post("/collections/photos/items/bulk").then();
    }

    private static void refused(String tenant, Map<String, Object> item, String detail) {
        as(tenant).body(Map.of("items", List.of(item))).post("/collections/photos/items").then().statusCode(400)
                .contentType("application/problem+json").body("detail", equalTo(detail));
    }

    /** An image item along (1, 0, 0, 0) with the given blobs (null: left out). */
    private static Map<String, Object> image(String id, byte[] thumbnail, byte[] original, String sourceSha) {
        Map<String, Object> media = new HashMap<>();
        if (sourceSha != null) {
            media.put("source_sha256", sourceSha);
        }
        if (thumbnail != null) {
            media.put("thumbnail", Map.of("content_type", "image/jpeg", "data", b64(thumbnail)));
        }
        if (original != null) {
            media.put("original", Map.of("content_type", "image/png", "data", b64(original)));
        }
        return Map.of("id", id, "vector", new float[] {1, 0, 0, 0}, "modality", "image", "media", media);
    }

    private long blobs(String tenant) {
        return Long.parseLong(query("SELECT count(*) FROM media WHERE tenant = ?", tenant));
    }

    private String sourceHash(String tenant, String collection, String id) {
        return query("SELECT encode(i.source_sha256, 'hex') FROM items i JOIN collections c ON c.id = i.collection_id"
                + " WHERE c.tenant = ? AND c.name = ? AND i.external_id = ?", tenant, collection, id);
    }

    /** The first column of the single row the statement answers, as text. */
    private String query(String sql, String... args) {
        try (Connection c = dataSource.getConnection(); PreparedStatement ps = c.prepareStatement(sql)) {
            for (int i = 0; i < args.length; i++) {
                ps.setString(i + 1, args[i]);
            }
            try (ResultSet rs = ps.executeQuery()) {
                rs.next();
                return rs.getString(1);
            }
        } catch (Exception e) {
            throw new AssertionError(e);
        }
    }

    private static String b64(byte[] b) {
        return Base64.getEncoder().encodeToString(b);
    }

    private static String sha(byte[] b) {
        return HexFormat.of().formatHex(digest(b));
    }

    private static byte[] digest(byte[] b) {
        try {
            return MessageDigest.getInstance("SHA-256").digest(b);
        } catch (Exception e) {
            throw new AssertionError(e);
        }
    }
}
