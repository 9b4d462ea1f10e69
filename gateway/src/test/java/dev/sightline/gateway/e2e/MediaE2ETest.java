package dev.sightline.gateway.e2e;

import static dev.sightline.gateway.support.Gateway.as;
import static dev.sightline.gateway.support.Gateway.base64;
import static dev.sightline.gateway.support.Gateway.fixture;
import static io.restassured.RestAssured.given;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.nullValue;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.sightline.gateway.support.Gateway;
import dev.sightline.gateway.support.Platform;
import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.specification.RequestSpecification;
import java.awt.image.BufferedImage;
import java.io.ByteArrayInputStream;
import java.security.MessageDigest;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import javax.imageio.ImageIO;
import org.junit.jupiter.api.Test;

/**
 * Kept media through the gateway with the real services: thumbnails made by embed-service from the upright image,
 * originals byte for byte, entity tags, thumbnail URLs in search results, tenant scoping; checked against the
 * contract.
 */
@QuarkusTest
@QuarkusTestResource(Platform.class)
class MediaE2ETest {

    @Test
    void uploadedFilesKeepTheirBytesAndAnUprightThumbnail() throws Exception {
        as(Platform.KEY_A).body(Map.of("name", "originals", "media", "original")).post("/v1/collections").then()
                .statusCode(201).body("media", equalTo("original"));
        upload(Platform.KEY_A).multiPart("file", "exif-rotated.jpg", fixture("exif-rotated.jpg"), "image/jpeg")
                .multiPart("file", "wide.png", fixture("wide.png"), "image/png")
                .post("/v1/collections/originals/items").then().statusCode(200).body("upserted", equalTo(2));

        // The original as received, with the SHA-256 of its bytes as entity tag.
        byte[] rotated = fixture("exif-rotated.jpg");
        String tag = "\"" + sha256(rotated) + "\"";
        byte[] original = key(Platform.KEY_A).get("/v1/collections/originals/items/exif-rotated/original").then()
                .statusCode(200).contentType("image/jpeg").header("ETag", tag)
                .header("Cache-Control", containsString("private")).extract().asByteArray();
        assertArrayEquals(rotated, original);
        // The item says which bytes it was made from (the folder indexer's resume check).
        key(Platform.KEY_A).get("/v1/collections/originals/items/exif-rotated").then().statusCode(200)
                .body("source_sha256", equalTo(sha256(rotated)));
        key(Platform.KEY_A).header("If-None-Match", tag).get("/v1/collections/originals/items/exif-rotated/original")
                .then().statusCode(304);
        assertArrayEquals(fixture("wide.png"), key(Platform.KEY_A)
                .get("/v1/collections/originals/items/wide/original").then().statusCode(200).contentType("image/png")
                .extract().asByteArray());

        // Stored 360 x 240 with EXIF orientation 6: the thumbnail is the upright image, 171 x 256.
        byte[] thumbnail = key(Platform.KEY_A).get("/v1/collections/originals/items/exif-rotated/thumbnail").then()
                .statusCode(200).contentType("image/jpeg").header("X-Content-Type-Options", "nosniff").extract()
                .asByteArray();
        BufferedImage small = ImageIO.read(new ByteArrayInputStream(thumbnail));
        assertEquals(List.of(171, 256), List.of(small.getWidth(), small.getHeight()));
    }

    @Test
    void searchResultsLinkTheThumbnailsOfImageItemsOnly() {
        as(Platform.KEY_A).body(Map.of("name", "thumbs")).post("/v1/collections").then().statusCode(201)
                .body("media", equalTo("thumbnail"));
        as(Platform.KEY_A).body(Map.of("items", List.of(
                Map.of("id", "star", "image", "data:image/jpeg;base64," + base64("exif-rotated.jpg")),
                Map.of("id", "star-caption", "text", "a photo of a blue star.")))).post("/v1/collections/thumbs/items")
                .then().statusCode(200);
        String url = as(Platform.KEY_A).body(Map.of("query", Map.of("text", "a photo of a blue star."), "top_k", 2))
                .post("/v1/collections/thumbs/search").then().statusCode(200)
                .body("results.find { it.id == 'star-caption' }.thumbnail_url", nullValue())
                .extract().jsonPath().getString("results.find { it.id == 'star' }.thumbnail_url");
        assertEquals("/v1/collections/thumbs/items/star/thumbnail", url);
        key(Platform.KEY_A).get(url).then().statusCode(200).contentType("image/jpeg");
        // A thumbnail collection keeps no original.
        key(Platform.KEY_A).get("/v1/collections/thumbs/items/star/original").then().statusCode(404)
                .contentType("application/problem+json").body("detail", containsString("keeps no original"));
        // Deleted with its item.
        as(Platform.KEY_A).delete("/v1/collections/thumbs/items/star").then().statusCode(204);
        key(Platform.KEY_A).get(url).then().statusCode(404).body("detail", equalTo("Item star does not exist."));
    }

    @Test
    void aCollectionWithoutMediaKeepsNone() {
        as(Platform.KEY_A).body(Map.of("name", "bare", "media", "none")).post("/v1/collections").then()
                .statusCode(201).body("media", equalTo("none"));
        as(Platform.KEY_A).body(Map.of("items", List.of(Map.of("id", "circle", "image", base64("wide.png")))))
                .post("/v1/collections/bare/items").then().statusCode(200);
        as(Platform.KEY_A).body(Map.of("query", Map.of("text", "a red circle"), "top_k", 1))
                .post("/v1/collections/bare/search").then().statusCode(200).body("results[0].id", equalTo("circle"))
                .body("results[0].thumbnail_url", nullValue());
        key(Platform.KEY_A).get("/v1/collections/bare/items/circle/thumbnail").then().statusCode(404);
        as(Platform.KEY_A).body(Map.of("name", "bare", "media", "thumbnail")).post("/v1/collections").then()
                .statusCode(409);
    }

    @Test
    void keptMediaBelongToTheirTenantAndNeedAKey() {
        as(Platform.KEY_A).body(Map.of("name", "private-pics", "media", "original")).post("/v1/collections").then()
                .statusCode(201);
        as(Platform.KEY_A).body(Map.of("items", List.of(Map.of("id", "sq", "image", base64("tall.jpg")))))
                .post("/v1/collections/private-pics/items").then().statusCode(200);
        String path = "/v1/collections/private-pics/items/sq/original";
        key(Platform.KEY_A).get(path).then().statusCode(200);
        Gateway.invalid(null).get(path).then().statusCode(401); // the contract says a key is required
        key(Platform.KEY_B).get(path).then().statusCode(404)
                .body("detail", equalTo("Collection private-pics does not exist."));
        as(Platform.KEY_B).body(Map.of("name", "private-pics", "media", "original")).post("/v1/collections").then()
                .statusCode(201);
        key(Platform.KEY_B).get(path).then().statusCode(404).body("detail", equalTo("Item sq does not exist."));
        // Bad input is the sender's own 4xx; the other tenant's next read is unaffected.
        Gateway.invalid(Platform.KEY_B).get("/v1/collections/private-pics/items/{id}/original", "no spaces")
                .then().statusCode(400).contentType("application/problem+json");
        Gateway.invalid(Platform.KEY_B).get("/v1/collections/Private!/items/sq/thumbnail").then().statusCode(400);
        key(Platform.KEY_A).get(path).then().statusCode(200);
        // Tenant B owns nothing in the other end-to-end tests.
        as(Platform.KEY_B).delete("/v1/collections/private-pics").then().statusCode(204);
        Gateway.invalid(Platform.KEY_A).body(Map.of("name", "x", "media", "everything")).post("/v1/collections")
                .then().statusCode(400).body("detail", equalTo("media must be none, thumbnail or original."));
    }

    /** A request with the key and no body type (GETs of media, multipart uploads), checked against the contract. */
    private static RequestSpecification key(String key) {
        return given().filter(Gateway.contract()).header("Authorization", "Bearer " + key);
    }

    /** A multipart upload with the key: the validator cannot read multipart bodies, so only the answer is checked. */
    private static RequestSpecification upload(String key) {
        return given().filter(Gateway.responsesOnly()).header("Authorization", "Bearer " + key);
    }

    private static String sha256(byte[] b) throws Exception {
        return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(b));
    }
}
