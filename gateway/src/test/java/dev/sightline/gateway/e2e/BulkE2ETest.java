package dev.sightline.gateway.e2e;

import static dev.sightline.gateway.support.Gateway.as;
import static dev.sightline.gateway.support.Gateway.base64;
import static dev.sightline.gateway.support.Gateway.invalid;
import static dev.sightline.gateway.support.Gateway.ndjson;
import static io.restassured.RestAssured.given;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.nullValue;
import static org.hamcrest.Matchers.startsWith;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.sightline.gateway.support.Gateway;
import dev.sightline.gateway.support.Platform;
import dev.sightline.testsupport.Eventually;
import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.common.http.TestHTTPResource;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.response.Response;
import io.vertx.core.json.JsonObject;
import java.io.IOException;
import java.io.OutputStream;
import java.net.Socket;
import java.net.URL;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.function.Supplier;
import java.util.stream.Collectors;
import java.util.stream.IntStream;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * Bulk writes (NDJSON) through the gateway with all three services and PostgreSQL: texts, images and vectors
 * stored and searchable; all or nothing with the bad line named; the limits, media type, key and deadline checked
 * before the body is used; another tenant untouched and served throughout. Also float16 collections.
 */
@QuarkusTest
@QuarkusTestResource(Platform.class)
class BulkE2ETest {

    private static final String PROBLEMS = "https://sightline.dev/problems/";
    /** Fixture image → what it shows (as PlatformE2ETest's). */
    private static final Map<String, String> IMAGES = Map.of("wide.png", "red circle", "tall.jpg", "blue square",
            "large.jpg", "yellow star", "tiny.png", "green triangle");

    @TestHTTPResource("/")
    URL base;

    private static Platform.TenantKey loader;
    private static Platform.TenantKey watcher;

    /** Once per class; in @BeforeEach because RestAssured points at the test port only from then on. */
    @BeforeEach
    void tenants() throws Exception {
        if (loader != null) {
            return;
        }
        loader = Platform.newTenant("loader");
        watcher = Platform.newTenant("watcher");
        Gateway.awaitKey(loader.key());
        Gateway.awaitKey(watcher.key());
    }

    private static String line(Object... fieldsAndValues) {
        JsonObject o = new JsonObject();
        for (int i = 0; i < fieldsAndValues.length; i += 2) {
            o.put((String) fieldsAndValues[i], fieldsAndValues[i + 1]);
        }
        return o.encode();
    }

    private static String id(String file) {
        return file.replace('.', '-');
    }

    /** A collection that keeps no media: bulk lines carry no images' media (see the refusal below). */
    private static void create(String key, String name) {
        as(key).body(Map.of("name", name, "media", "none")).post("/v1/collections").then().statusCode(201);
    }

    private static List<Float> embedding(Object input) {
        return as(loader.key()).body(Map.of("model", "sightline/tiny-clip", "input", input)).post("/v1/embeddings")
                .then().statusCode(200).extract().jsonPath().getList("data[0].embedding", Float.class);
    }

    @Test
    void imageLinesIntoACollectionThatKeepsMediaAreRefusedNamingTheFirst() {
        as(loader.key()).body(Map.of("name", "album")).post("/v1/collections").then().statusCode(201)
                .body("media", equalTo("thumbnail"));
        ndjson(loader.key(), String.join("\n", line("id", "t", "text", "a red circle"),
                line("id", "p", "image", base64("wide.png")))).post("/v1/collections/album/items/bulk").then()
                .statusCode(400).body("detail", startsWith("line 2: collection album keeps media (thumbnail)"));
        as(loader.key()).get("/v1/collections/album").then().statusCode(200).body("counts.text", equalTo(0));
        // Texts and vectors go in as before.
        ndjson(loader.key(), line("id", "t", "text", "a red circle")).post("/v1/collections/album/items/bulk").then()
                .statusCode(200).body("upserted", equalTo(1));
    }

    @Test
    void aBulkOfTextImageAndVectorLinesIsStoredInOneWriteAndSearchable() {
        create(loader.key(), "catalogue");
        List<String> lines = new ArrayList<>();
        IMAGES.forEach((file, what) -> {
            lines.add(line("id", id(file), "image", base64(file), "metadata", Map.of("shows", what)));
            lines.add(line("id", "cap-" + what.replace(' ', '-'), "text", "a photo of a " + what + ".",
                    "metadata", Map.of("shows", what)));
        });
        lines.add("");
        List<Float> purpleText = embedding("a photo of a purple triangle.");
        List<Float> purpleImage = embedding(List.of(Map.of("type", "image_url", "image_url",
                Map.of("url", "data:image/png;base64," + base64("rgba.png")))));
        lines.add(line("id", "vec-purple", "vector", purpleText, "modality", "text"));
        lines.add(line("id", "vec-rgba", "vector", purpleImage, "modality", "image", "metadata",
                Map.of("shows", "purple triangle")));

        Map<String, Object> answer = ndjson(loader.key(), String.join("\n", lines) + "\n")
                .post("/v1/collections/catalogue/items/bulk").then().statusCode(200).extract().jsonPath().getMap("");

        assertEquals(Map.of("collection", "catalogue", "upserted", 10, "stale", List.of()), answer);
        as(loader.key()).get("/v1/collections/catalogue").then().statusCode(200).body("counts.image", equalTo(5))
                .body("counts.text", equalTo(5)).body("precision", equalTo("float32"))
                .body("index.state", equalTo("ready"));
        IMAGES.forEach((file, what) -> as(loader.key()).body(Map.of("text", "a photo of a " + what + ".", "top_k", 1))
                .post("/v1/collections/catalogue/text-to-image").then().statusCode(200)
                .body("results[0].id", equalTo(id(file))).body("results[0].metadata.shows", equalTo(what)));
        as(loader.key()).body(Map.of("text", "a photo of a purple triangle.", "top_k", 1))
                .post("/v1/collections/catalogue/text-to-image").then().statusCode(200)
                .body("results[0].id", equalTo("vec-rgba"));
        as(loader.key()).body(Map.of("image", base64("tall.jpg"), "top_k", 1))
                .post("/v1/collections/catalogue/image-to-text").then().statusCode(200)
                .body("results[0].id", equalTo("cap-blue-square"))
                .body("results[0].text", equalTo("a photo of a blue square."));
        as(loader.key()).get("/v1/collections/catalogue/items/cap-red-circle").then().statusCode(200)
                .body("modality", equalTo("text")).body("text", equalTo("a photo of a red circle."))
                .body("metadata.shows", equalTo("red circle"));
        Response purple = as(loader.key()).get("/v1/collections/catalogue/items/vec-purple?include=vector");
        purple.then().statusCode(200).body("modality", equalTo("text")).body("text", nullValue());
        assertEquals(purpleText, purple.jsonPath().getList("vector", Float.class));
        Response rgba = as(loader.key()).get("/v1/collections/catalogue/items/vec-rgba?include=vector");
        rgba.then().statusCode(200).body("modality", equalTo("image")).body("metadata.shows", equalTo("purple triangle"));
        assertEquals(purpleImage, rgba.jsonPath().getList("vector", Float.class));
    }

    @Test
    void aBadLineFailsTheWholeBulkNamingItsLineAndNothingIsStored() {
        create(loader.key(), "atomic");
        String five = String.join("\n", line("id", "a", "text", "a red circle"),
                line("id", "b", "image", base64("wide.png")),
                line("id", "c", "text", "a blue square", "image", base64("tall.jpg")),
                line("id", "d", "text", "a yellow star"), line("id", "e", "text", "a green triangle"));

        ndjson(loader.key(), five).post("/v1/collections/atomic/items/bulk").then().statusCode(400)
                .contentType("application/problem+json").body("type", equalTo(PROBLEMS + "invalid-request"))
                .body("detail", equalTo("line 3: give exactly one of text, image and vector."));

        // Found by embed-service, after the texts before it were embedded; named by the line all the same.
        ndjson(loader.key(), String.join("\n", line("id", "a", "text", "a red circle"), "",
                line("id", "b", "text", "a blue square"), line("id", "c", "image", "not base64 at all!")))
                .post("/v1/collections/atomic/items/bulk").then().statusCode(400)
                .body("type", equalTo(PROBLEMS + "invalid-encoding"))
                .body("detail", equalTo("line 4: The image is not valid base64."));
        // Against the collection, before anything is embedded.
        ndjson(loader.key(), String.join("\n", line("id", "a", "text", "a red circle"), "",
                line("id", "b", "vector", List.of(1, 0), "modality", "text")))
                .post("/v1/collections/atomic/items/bulk").then().statusCode(400)
                .body("type", equalTo(PROBLEMS + "dimension-mismatch"))
                .body("detail", equalTo("line 3: vector has 2 dimensions; the collection has 128."));
        // Found by retrieval-service on line 2 of what the gateway sent it; named by the client's line.
        ndjson(loader.key(), String.join("\n", line("id", "a", "text", "a red circle"), "",
                line("id", "c", "text", "a blue square", "metadata", Map.of("big", "x".repeat(17_000)))))
                .post("/v1/collections/atomic/items/bulk").then().statusCode(413)
                .body("type", equalTo(PROBLEMS + "payload-too-large"))
                .body("detail", equalTo("line 3.metadata is larger than 16384 bytes."));

        as(loader.key()).get("/v1/collections/atomic").then().statusCode(200).body("counts.image", equalTo(0))
                .body("counts.text", equalTo(0));
        as(loader.key()).get("/v1/collections/atomic/items/a").then().statusCode(404);
    }

    @Test
    void moreItemsOrImagesThanTheLimitsAreRefusedWith413() {
        create(loader.key(), "limits");
        String items = IntStream.range(0, 50_001).mapToObj(i -> line("id", "v" + i, "vector", List.of(1), "modality",
                "text")).collect(Collectors.joining("\n"));
        ndjson(loader.key(), items).post("/v1/collections/limits/items/bulk").then().statusCode(413)
                .body("type", equalTo(PROBLEMS + "payload-too-large"))
                .body("detail", equalTo("At most 50000 items per bulk request; got 50001."));

        String images = IntStream.range(0, 257).mapToObj(i -> line("id", "i" + i, "image", base64("tiny.png")))
                .collect(Collectors.joining("\n"));
        ndjson(loader.key(), images).post("/v1/collections/limits/items/bulk").then().statusCode(413)
                .body("type", equalTo(PROBLEMS + "payload-too-large"))
                .body("detail", equalTo("At most 256 images per bulk request; got 257."));
        as(loader.key()).get("/v1/collections/limits").then().body("counts.image", equalTo(0))
                .body("counts.text", equalTo(0));
    }

    @Test
    void aBodyOtherThanNdjsonIsRefusedWith415() {
        String one = line("id", "a", "text", "a red circle");
        invalid(loader.key()).body(one).post("/v1/collections/anything/items/bulk").then().statusCode(415)
                .contentType("application/problem+json").body("type", equalTo(PROBLEMS + "unsupported-media-type"))
                .body("detail", equalTo("Send application/x-ndjson: one JSON object per line."));
        given().filter(Gateway.responsesOnly()).header("Authorization", "Bearer " + loader.key())
                .contentType("text/plain").body(one).post("/v1/collections/anything/items/bulk").then()
                .statusCode(415).body("type", equalTo(PROBLEMS + "unsupported-media-type"));
    }

    @Test
    void aLoadSentWithMoreKeepsItsIndexOutThroughPausesUntilItsLastRequest() throws Exception {
        create(loader.key(), "paced");
        List<Float> star = embedding("a photo of a yellow star.");
        ndjson(loader.key(), line("id", "s1", "vector", star, "modality", "text"))
                .post("/v1/collections/paced/items/bulk?more=true").then().statusCode(200).body("upserted", equalTo(1));
        // One item leaves the index out only because more requests follow; a pause past the 2 s quiet period
        // does not get it built.
        as(loader.key()).get("/v1/collections/paced").then().statusCode(200).body("index.state", equalTo("pending"));
        Thread.sleep(4000);
        as(loader.key()).get("/v1/collections/paced").then().statusCode(200).body("index.state", equalTo("pending"));
        ndjson(loader.key(), line("id", "s2", "text", "a yellow star")).post("/v1/collections/paced/items/bulk?more=false")
                .then().statusCode(200).body("upserted", equalTo(1));
        Eventually.within(60, "the index of paced built", () -> "ready".equals(as(loader.key())
                .get("/v1/collections/paced").then().extract().jsonPath().getString("index.state")));
        as(loader.key()).get("/v1/collections/paced").then().statusCode(200).body("index.state", equalTo("ready"))
                .body("counts.text", equalTo(2));
        as(loader.key()).body(Map.of("query", Map.of("vector", star), "top_k", 1)).post("/v1/collections/paced/search")
                .then().statusCode(200).body("results[0].id", equalTo("s1"));
    }

    @Test
    void moreOtherThanTrueOrFalseIsRefusedBeforeAnythingIsEmbeddedOrStored() {
        create(loader.key(), "strict");
        for (String bad : new String[] {"yes", "1", "TRUE", ""}) {
            given().filter(Gateway.responsesOnly()).header("Authorization", "Bearer " + loader.key())
                    .contentType("application/x-ndjson")
                    .body(line("id", "t", "text", "a red circle").getBytes(StandardCharsets.UTF_8))
                    .post("/v1/collections/strict/items/bulk?more=" + bad).then().statusCode(400)
                    .contentType("application/problem+json").body("type", equalTo(PROBLEMS + "invalid-request"))
                    .body("detail", equalTo("more must be true or false."));
        }
        as(loader.key()).get("/v1/collections/strict").then().statusCode(200).body("counts.text", equalTo(0))
                .body("index.state", equalTo("ready"));
        // Another tenant is served meanwhile.
        as(watcher.key()).get("/v1/collections").then().statusCode(200);
    }

    @Test
    void anUnknownCollectionIsNotFound() {
        ndjson(loader.key(), line("id", "a", "text", "a red circle")).post("/v1/collections/nowhere/items/bulk").then()
                .statusCode(404).body("type", equalTo(PROBLEMS + "not-found"));
    }

    @Test
    void aBulkWithoutAKeyIsRefusedBeforeItsBodyIsRead() throws Exception {
        for (String auth : new String[] {"", "Authorization: Bearer sk-sl-not-a-key\r\n"}) {
            // 200 MB declared: over every other route's 32 MiB, under the bulk limit; only the headers and one line sent.
            String response = exchange("POST /v1/collections/anything/items/bulk HTTP/1.1\r\nHost: localhost\r\n" + auth
                    + "Content-Type: application/x-ndjson\r\nContent-Length: 200000000\r\n\r\n"
                    + line("id", "a", "text", "x") + "\n");
            assertTrue(response.startsWith("HTTP/1.1 401"), response);
            assertTrue(response.contains("\"type\":\"" + PROBLEMS + "unauthorized\""), response);
        }
    }

    @Test
    void aBulkOfAnotherMediaTypeIsRefusedBeforeItsBodyIsRead() throws Exception {
        String response = exchange("POST /v1/collections/anything/items/bulk HTTP/1.1\r\nHost: localhost\r\n"
                + "Authorization: Bearer " + loader.key() + "\r\nContent-Type: application/json\r\n"
                + "Content-Length: 200000000\r\n\r\n[");
        assertTrue(response.startsWith("HTTP/1.1 415"), response);
    }

    @Test
    void aDeclaredBodyOverTheBulkLimitIsRefusedBeforeItIsRead() throws Exception {
        String response = exchange("POST /v1/collections/anything/items/bulk HTTP/1.1\r\nHost: localhost\r\n"
                + "Authorization: Bearer " + loader.key() + "\r\nContent-Type: application/x-ndjson\r\n"
                + "Content-Length: 300000000\r\n\r\n{");
        assertTrue(response.startsWith("HTTP/1.1 413"), response);
        assertTrue(response.contains("\"detail\":\"The request body has 300000000 bytes; the limit is 268435456.\""),
                response);
    }

    @Test
    void aStalledBulkBodyIsAnsweredWith408AfterTheBulkDeadline() throws Exception {
        long start = System.nanoTime();
        String response = exchange("POST /v1/collections/anything/items/bulk HTTP/1.1\r\nHost: localhost\r\n"
                + "Authorization: Bearer " + loader.key() + "\r\nContent-Type: application/x-ndjson\r\n"
                + "Content-Length: 1000\r\n\r\n{\"id\":");
        long seconds = (System.nanoTime() - start) / 1_000_000_000L;

        // The bulk deadline (4 s in these tests), not every other route's (3 s).
        assertTrue(response.startsWith("HTTP/1.1 408"), response);
        assertTrue(response.contains("\"detail\":\"The request body did not arrive within 4 s.\""), response);
        assertTrue(seconds >= 3 && seconds < 10, "answered after " + seconds + " s");
    }

    @Test
    void anotherTenantIsUntouchedAndServedWhileOneSendsBadBulks() {
        create(watcher.key(), "calm");
        as(watcher.key()).body(Map.of("items", List.of(Map.of("id", "c1", "text", "a blue square"),
                Map.of("id", "c2", "image", base64("tall.jpg"))))).post("/v1/collections/calm/items").then()
                .statusCode(200);
        create(loader.key(), "noisy");
        as(loader.key()).body(Map.of("name", "tiny", "dimension", 1)).post("/v1/collections").then().statusCode(201);
        String ok = line("id", "a", "text", "a red circle");
        List<Supplier<Response>> bad = new ArrayList<>(List.of(
                () -> ndjson(loader.key(), ok + "\n{\"id\":").post("/v1/collections/noisy/items/bulk"),
                () -> ndjson(loader.key(), ok + "\n" + line("id", "b", "vector", List.of(1, 2, 3), "modality", "text"))
                        .post("/v1/collections/noisy/items/bulk"),
                () -> ndjson(loader.key(), ok + "\n" + line("id", "b", "image", "AAAA"))
                        .post("/v1/collections/noisy/items/bulk"),
                () -> ndjson(loader.key(), ok + "\n" + line("id", "a", "text", "again"))
                        .post("/v1/collections/noisy/items/bulk"),
                () -> ndjson(loader.key(), ok + "\n" + line("id", "b", "text", "x".repeat(5000)))
                        .post("/v1/collections/noisy/items/bulk"),
                () -> ndjson(loader.key(), line("id", "b", "text", "ok", "metadata",
                        Map.of("deep", nested(40)))).post("/v1/collections/noisy/items/bulk"),
                () -> ndjson(loader.key(), ok).post("/v1/collections/calm/items/bulk"),
                () -> invalid(loader.key()).body(ok).post("/v1/collections/noisy/items/bulk")));
        // More refusals by retrieval-service in a row than open its breaker (5) if they were counted as failures.
        bad.addAll(java.util.Collections.nCopies(6, () -> ndjson(loader.key(), line("id", "m", "vector", List.of(1),
                "modality", "text", "metadata", Map.of("big", "x".repeat(17_000))))
                .post("/v1/collections/tiny/items/bulk")));
        for (Supplier<Response> send : bad) {
            Response r = send.get();
            assertTrue(r.statusCode() >= 400 && r.statusCode() < 500, r.statusCode() + " " + r.asString());
            assertEquals("application/problem+json", r.contentType(), r.asString());
            as(watcher.key()).body(Map.of("text", "a blue square", "top_k", 1))
                    .post("/v1/collections/calm/text-to-image").then().statusCode(200)
                    .body("results[0].id", equalTo("c2"));
        }
        as(watcher.key()).get("/v1/collections/calm").then().statusCode(200).body("counts.image", equalTo(1))
                .body("counts.text", equalTo(1));
        as(watcher.key()).get("/v1/collections/calm/items/a").then().statusCode(404);
        as(loader.key()).get("/v1/collections/noisy").then().statusCode(200).body("counts.image", equalTo(0))
                .body("counts.text", equalTo(0));
        given().get("/q/metrics").then().statusCode(200).body(org.hamcrest.Matchers.containsString(
                "sightline_gateway_backend_breaker_state{backend=\"retrieval-service\"} 0.0"));
        // Their own bulks still go through.
        ndjson(watcher.key(), line("id", "c3", "text", "a green triangle")).post("/v1/collections/calm/items/bulk")
                .then().statusCode(200).body("upserted", equalTo(1));
    }

    @Test
    void aFloat16CollectionIsCreatedThroughTheGatewayAndTakesBulkVectors() {
        // media none: the bulk below has an image line (bulk lines carry no kept media).
        as(loader.key()).body(Map.of("name", "half", "precision", "float16", "media", "none")).post("/v1/collections")
                .then().statusCode(201).body("precision", equalTo("float16"));
        as(loader.key()).body(Map.of("name", "half", "precision", "float16", "media", "none")).post("/v1/collections")
                .then().statusCode(200);
        as(loader.key()).body(Map.of("name", "half", "media", "none")).post("/v1/collections").then().statusCode(409)
                .body("type", equalTo(PROBLEMS + "conflict"));
        as(loader.key()).body(Map.of("name", "half", "precision", "float32", "media", "none")).post("/v1/collections")
                .then().statusCode(409);
        List<Float> star = embedding("a photo of a yellow star.");
        ndjson(loader.key(), String.join("\n", line("id", "star", "vector", star, "modality", "text"),
                line("id", "circle", "image", base64("wide.png"))))
                .post("/v1/collections/half/items/bulk").then().statusCode(200).body("upserted", equalTo(2));

        as(loader.key()).get("/v1/collections/half").then().statusCode(200).body("precision", equalTo("float16"))
                .body("counts.text", equalTo(1)).body("counts.image", equalTo(1)).body("index.state", equalTo("ready"));
        as(loader.key()).body(Map.of("query", Map.of("vector", star), "top_k", 1)).post("/v1/collections/half/search")
                .then().statusCode(200).body("results[0].id", equalTo("star"));
        as(loader.key()).body(Map.of("text", "a photo of a red circle.", "top_k", 1))
                .post("/v1/collections/half/text-to-image").then().statusCode(200)
                .body("results[0].id", equalTo("circle"));
    }

    @Test
    void hnswSettingsAreChosenAtCreationThroughTheGatewayAndCheckedByRetrieval() {
        as(loader.key()).body(Map.of("name", "wide", "hnsw", Map.of("m", 24, "ef_construction", 100)))
                .post("/v1/collections").then().statusCode(201).body("hnsw.m", equalTo(24))
                .body("hnsw.ef_construction", equalTo(100));
        as(loader.key()).body(Map.of("name", "wide", "hnsw", Map.of("m", 24, "ef_construction", 100)))
                .post("/v1/collections").then().statusCode(200);
        as(loader.key()).body(Map.of("name", "wide")).post("/v1/collections").then().statusCode(409)
                .body("type", equalTo(PROBLEMS + "conflict"));
        as(loader.key()).get("/v1/collections/wide").then().statusCode(200).body("hnsw.m", equalTo(24));
        invalid(loader.key()).body(Map.of("name", "narrow", "hnsw", Map.of("m", 1))).post("/v1/collections").then()
                .statusCode(400).body("type", equalTo(PROBLEMS + "invalid-request"))
                .body("detail", equalTo("hnsw.m must be from 2 to 64."));
        invalid(loader.key()).body(Map.of("name", "narrow", "hnsw", Map.of("m", 16, "ef_construction", 20)))
                .post("/v1/collections").then().statusCode(400)
                .body("detail", equalTo("hnsw.ef_construction must be from 2 × m (32) to 512."));
        for (Object bad : List.of(Map.of("m", "16"), Map.of("m", 16.5), Map.of("links", 16), List.of(16))) {
            invalid(loader.key()).body(Map.of("name", "narrow", "hnsw", bad)).post("/v1/collections").then()
                    .statusCode(400).contentType("application/problem+json");
        }
        as(loader.key()).get("/v1/collections/narrow").then().statusCode(404);
    }

    @Test
    void aPrecisionOtherThanFloat32OrFloat16IsRefused() {
        invalid(loader.key()).body(Map.of("name", "bad-precision", "precision", "float64")).post("/v1/collections")
                .then().statusCode(400).body("type", equalTo(PROBLEMS + "invalid-request"))
                .body("detail", equalTo("precision must be float32 or float16."));
        invalid(loader.key()).body(Map.of("name", "bad-precision", "precision", 16)).post("/v1/collections")
                .then().statusCode(400).body("type", equalTo(PROBLEMS + "invalid-json"))
                .body("detail", equalTo("Invalid value at 'precision'."));
        as(loader.key()).get("/v1/collections/bad-precision").then().statusCode(404);
    }

    /** Sends raw bytes on a fresh connection and reads until the server closes it. */
    private String exchange(String request) throws IOException {
        try (Socket s = new Socket(base.getHost(), base.getPort())) {
            s.setSoTimeout(15_000);
            OutputStream out = s.getOutputStream();
            out.write(request.getBytes(StandardCharsets.UTF_8));
            out.flush();
            return new String(s.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        }
    }

    private static Map<String, Object> nested(int depth) {
        return depth == 1 ? Map.of("leaf", 1) : Map.of("d", nested(depth - 1));
    }
}
