package dev.sightline.embed.api;

import static io.restassured.RestAssured.given;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.hasItems;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.sightline.embed.support.Api;
import dev.sightline.embed.support.Fixture;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.http.ContentType;
import io.restassured.path.json.JsonPath;
import java.awt.image.BufferedImage;
import java.io.ByteArrayInputStream;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.security.MessageDigest;
import java.util.ArrayList;
import java.util.Base64;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import javax.imageio.ImageIO;
import org.junit.jupiter.api.Test;

@QuarkusTest
class EmbedResourceTest {

    private static final List<String> TEXTS = List.of("a red circle", "a photo of a blue square.", "green triangle",
            "a yellow star on a dark background", "a small purple cross", "white circle", "a black star", "orange");
    private static final List<String> IMAGES = List.of("images/wide.png", "images/tall.jpg", "images/tiny.png",
            "images/gray.png", "images/rgba.png", "images/palette.png");

    @Test
    void embedsTextsAsUnitVectorsInRequestOrderWithTokenCounts() {
        JsonPath body = Api.post("/embed/text", Map.of("texts", List.of("a red circle", "a photo of a blue square.")), 200);
        assertEquals("sightline/tiny-clip", body.getString("model"));
        assertEquals(128, body.getInt("dimensions"));
        assertEquals(List.of(5, 9), body.getList("tokens", Integer.class));
        for (int i = 0; i < 2; i++) {
            float[] v = Api.row(body, i);
            assertEquals(128, v.length);
            assertEquals(1.0, Math.sqrt(dot(v, v)), 1e-5);
        }
        assertArrayEquals(Api.textEmbedding("a photo of a blue square."), Api.row(body, 1));
    }

    @Test
    void batchedTextEmbeddingsEqualSingleOnes() {
        JsonPath batch = Api.post("/embed/text", Map.of("texts", TEXTS), 200);
        for (int i = 0; i < TEXTS.size(); i++) {
            assertArrayEquals(Api.textEmbedding(TEXTS.get(i)), Api.row(batch, i), TEXTS.get(i));
        }
    }

    @Test
    void batchedImageEmbeddingsEqualSingleOnes() {
        List<String> payload = IMAGES.stream().map(f -> Api.base64(Fixture.bytes(f))).toList();
        JsonPath batch = Api.post("/embed/image", Map.of("images", payload), 200);
        for (int i = 0; i < IMAGES.size(); i++) {
            assertArrayEquals(Api.imageEmbedding(Fixture.bytes(IMAGES.get(i))), Api.row(batch, i), IMAGES.get(i));
        }
    }

    @Test
    void thumbnailsAndSourcesComeWithAnUnchangedEmbedding() throws Exception {
        byte[] rotated = Fixture.bytes("images/exif-rotated.jpg"); // 360 x 240 stored, EXIF orientation 6
        byte[] tiny = Fixture.bytes("images/tiny.png");
        JsonPath body = Api.post("/embed/image", Map.of("images", List.of(Api.base64(rotated), Api.base64(tiny)),
                "thumbnails", true, "sources", true), 200);
        assertArrayEquals(Api.imageEmbedding(rotated), Api.row(body, 0));
        assertArrayEquals(Api.imageEmbedding(tiny), Api.row(body, 1));
        assertEquals(List.of("image/jpeg", "image/jpeg"), body.getList("thumbnails.content_type", String.class));
        assertEquals(List.of(171, 256), List.of(body.getInt("thumbnails[0].width"), body.getInt("thumbnails[0].height")));
        BufferedImage jpeg = ImageIO.read(new ByteArrayInputStream(
                Base64.getDecoder().decode(body.getString("thumbnails[0].data"))));
        assertEquals(171, jpeg.getWidth());
        assertEquals(256, jpeg.getHeight());
        assertEquals(List.of("image/jpeg", "image/png"), body.getList("sources.content_type", String.class));
        assertEquals(List.of(HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(rotated)),
                HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(tiny))),
                body.getList("sources.sha256", String.class));
        // Not asked for: not sent.
        JsonPath plain = Api.post("/embed/image", Map.of("images", List.of(Api.base64(tiny))), 200);
        assertNull(plain.get("thumbnails"));
        assertNull(plain.get("sources"));
    }

    @Test
    void concurrentRequestsAreCoalescedIntoBatchesWithUnchangedResults() throws Exception {
        float[] expected = Api.textEmbedding("a photo of a green star.");
        ExecutorService pool = Executors.newFixedThreadPool(16);
        try {
            List<Future<float[]>> futures = new ArrayList<>();
            for (int i = 0; i < 64; i++) {
                futures.add(pool.submit(() -> Api.textEmbedding("a photo of a green star.")));
            }
            for (Future<float[]> f : futures) {
                assertArrayEquals(expected, f.get(), 1e-6f);
            }
        } finally {
            pool.shutdown();
        }
        String metrics = given().get("/q/metrics").then().statusCode(200).extract().asString();
        double maxBatch = metrics.lines().filter(l -> l.startsWith("sightline_embed_batch_size_max{encoder=\"text\""))
                .mapToDouble(l -> Double.parseDouble(l.substring(l.lastIndexOf(' ') + 1))).max().orElse(0);
        assertTrue(maxBatch > 1, "64 concurrent requests never shared a batch: " + maxBatch);
    }

    @Test
    void base64EncodingCarriesTheSameLittleEndianFloats() {
        JsonPath floats = Api.post("/embed/text", Map.of("texts", List.of("a red circle")), 200);
        JsonPath b64 = Api.post("/embed/text", Map.of("texts", List.of("a red circle"), "encoding", "base64"), 200);
        ByteBuffer buf = ByteBuffer.wrap(Base64.getDecoder().decode(b64.getString("embeddings[0]")))
                .order(ByteOrder.LITTLE_ENDIAN);
        float[] decoded = new float[buf.remaining() / 4];
        buf.asFloatBuffer().get(decoded);
        assertArrayEquals(Api.row(floats, 0), decoded);
    }

    @Test
    void acceptsDataUrisAndMultipartUploadsAlike() {
        byte[] png = Fixture.bytes("images/wide.png");
        float[] plain = Api.imageEmbedding(png);
        JsonPath dataUri = Api.post("/embed/image",
                Map.of("images", List.of("data:image/png;base64," + Api.base64(png))), 200);
        assertArrayEquals(plain, Api.row(dataUri, 0));
        JsonPath multipart = given().multiPart("file", "wide.png", png, "image/png")
                .multiPart("other", "tall.jpg", Fixture.bytes("images/tall.jpg"), "image/jpeg")
                .when().post("/embed/image").then().statusCode(200).extract().jsonPath();
        assertArrayEquals(plain, Api.row(multipart, 0));
        assertArrayEquals(Api.imageEmbedding(Fixture.bytes("images/tall.jpg")), Api.row(multipart, 1));
    }

    @Test
    void modelEndpointDescribesTheLoadedModel() {
        given().get("/model").then().statusCode(200).contentType(ContentType.JSON)
                .body("defaultModel", equalTo("sightline/tiny-clip"))
                .body("models[0].id", equalTo("sightline/tiny-clip"))
                .body("models[0].state", equalTo("ready"))
                .body("models[0].layout", equalTo("bundled"))
                .body("models[0].dimensions", equalTo(128))
                .body("models[0].modalities", hasItems("text", "image"))
                .body("models[0].imageSize", equalTo(224))
                .body("models[0].contextLength", equalTo(77))
                .body("models[0].executionProvider", equalTo("CPUExecutionProvider"))
                .body("models[0].jpegDecoder", equalTo("libjpeg-turbo"))
                .body("models[0].textBatching.maxBatchSize", equalTo(32));
        float scale = given().get("/model").jsonPath().getFloat("models[0].logitScale");
        assertEquals(configLogitScale(), scale, 1e-3);
    }

    @Test
    void healthIsReadyAndMetricsAreExposed() {
        given().get("/q/health/ready").then().statusCode(200).body("status", equalTo("UP"));
        Api.textEmbedding("warm the metrics");
        String metrics = given().get("/q/metrics").then().statusCode(200).extract().asString();
        for (String name : List.of("sightline_embed_batch_size", "sightline_embed_queue_depth",
                "sightline_embed_inference_seconds", "http_server_requests_seconds_count")) {
            assertTrue(metrics.contains(name), "missing metric " + name);
        }
    }

    private static double dot(float[] a, float[] b) {
        double s = 0;
        for (int i = 0; i < a.length; i++) {
            s += (double) a[i] * b[i];
        }
        return s;
    }

    private static float configLogitScale() {
        try {
            return (float) new com.fasterxml.jackson.databind.ObjectMapper()
                    .readTree(Fixture.bundledModel().resolve("config.json").toFile()).get("logit_scale").asDouble();
        } catch (java.io.IOException e) {
            throw new java.io.UncheckedIOException(e);
        }
    }
}
