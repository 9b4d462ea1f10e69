package dev.sightline.gateway.e2e;

import static dev.sightline.gateway.support.Gateway.as;
import static dev.sightline.gateway.support.Gateway.base64;
import static io.restassured.RestAssured.given;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.sightline.gateway.support.Platform;
import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.response.Response;
import io.restassured.specification.RequestSpecification;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.function.Supplier;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * One tenant sends bad request after bad request to every public route — NUL bytes wherever text goes, wrong JSON
 * types, huge and negative numbers, hostile names and ids, prompt blow-ups, broken multipart, unknown models, image
 * URLs that are not data URIs — and each is answered 4xx problem+json without internals; interleaved with them a
 * second tenant's ordinary requests all succeed, so no bad input harms anybody else (no 5xx, no open breaker).
 */
@QuarkusTest
@QuarkusTestResource(Platform.class)
class BarrageE2ETest {

    private static final String MODEL = "sightline/tiny-clip";
    private static final String IMG = "data:image/png;base64," + base64("tiny.png");
    private static final String NUL = "\u0000";

    /** A bad request, described for the failure message. */
    private record Bad(String what, Supplier<Response> send) {
    }

    private final List<Bad> bad = new ArrayList<>();
    private static Platform.TenantKey attacker;
    private Platform.TenantKey watcher;

    private static RequestSpecification a() {
        return given().header("Authorization", "Bearer " + attacker.key()).contentType("application/json");
    }

    private void json(String what, String method, String path, Object body) {
        bad.add(new Bad(what, () -> a().body(body).request(method, path)));
    }

    private void raw(String what, String method, String path, String contentType, String body) {
        // Bytes, so that RestAssured sends the body exactly as written whatever the content type.
        bad.add(new Bad(what, () -> given().header("Authorization", "Bearer " + attacker.key())
                .contentType(contentType).body(body.getBytes(java.nio.charset.StandardCharsets.UTF_8))
                .request(method, path)));
    }

    @BeforeEach
    void collections() throws Exception {
        attacker = Platform.newTenant("attacker");
        watcher = Platform.newTenant("watcher");
        dev.sightline.gateway.support.Gateway.awaitKey(attacker.key());
        dev.sightline.gateway.support.Gateway.awaitKey(watcher.key());
        as(attacker.key()).body(Map.of("name", "barrage")).post("/v1/collections");
        as(attacker.key()).body(Map.of("items", List.of(Map.of("id", "one", "text", "a red circle"))))
                .post("/v1/collections/barrage/items").then().statusCode(200);
        as(watcher.key()).body(Map.of("name", "calm")).post("/v1/collections");
        as(watcher.key()).body(Map.of("items", List.of(Map.of("id", "c1", "text", "a blue square"),
                Map.of("id", "c2", "image", IMG)))).post("/v1/collections/calm/items").then().statusCode(200);
    }

    @Test
    void everyBadRequestIsTheSendersProblemAndTheOtherTenantIsServedThroughout() {
        String items = "/v1/collections/barrage/items";
        String search = "/v1/collections/barrage/search";
        // NUL bytes (and a lone surrogate) wherever text goes.
        json("embeddings input with NUL", "POST", "/v1/embeddings", Map.of("model", MODEL, "input", "a" + NUL + "b"));
        json("embeddings content part with NUL", "POST", "/v1/embeddings", Map.of("model", MODEL, "input",
                List.of(Map.of("type", "text", "text", NUL))));
        json("embeddings model with NUL", "POST", "/v1/embeddings", Map.of("model", MODEL + NUL, "input", "x"));
        json("collection name with NUL", "POST", "/v1/collections", Map.of("name", "a" + NUL));
        json("item text with NUL", "POST", items, Map.of("items", List.of(Map.of("id", "n1", "text", "x" + NUL))));
        json("item id with NUL", "POST", items, Map.of("items", List.of(Map.of("id", "n" + NUL, "text", "x"))));
        json("metadata value with NUL", "POST", items, Map.of("items", List.of(Map.of("id", "n2", "text", "x",
                "metadata", Map.of("k", NUL)))));
        json("metadata key with NUL", "POST", items, Map.of("items", List.of(Map.of("id", "n3", "text", "x",
                "metadata", Map.of("k" + NUL, "v")))));
        json("nested metadata with NUL", "POST", items, Map.of("items", List.of(Map.of("id", "n4", "text", "x",
                "metadata", Map.of("a", List.of(Map.of("b", NUL)))))));
        json("search text with NUL", "POST", search, Map.of("query", Map.of("text", NUL)));
        json("search filter value with NUL", "POST", search, Map.of("query", Map.of("text", "x"),
                "filter", Map.of("a", NUL)));
        json("search filter key with NUL", "POST", search, Map.of("query", Map.of("text", "x"),
                "filter", Map.of(NUL, "a")));
        json("search item_id with NUL", "POST", search, Map.of("query", Map.of("item_id", NUL)));
        json("text-to-image with NUL", "POST", "/v1/collections/barrage/text-to-image", Map.of("text", "x" + NUL));
        json("classify label with NUL", "POST", "/v1/classify", Map.of("image", IMG, "labels", List.of("a", NUL)));
        json("classify template with NUL", "POST", "/v1/classify", Map.of("image", IMG, "labels", List.of("a", "b"),
                "templates", List.of("{}" + NUL)));
        json("classifier label with NUL", "PUT", "/v1/classifiers/nul", Map.of("labels", List.of("a", "b" + NUL)));
        raw("lone surrogate in a text", "POST", items, "application/json",
                "{\"items\":[{\"id\":\"s1\",\"text\":\"a\\ud83d b\"}]}");
        // Wrong JSON types.
        json("items is an object", "POST", items, Map.of("items", Map.of()));
        json("metadata is an array", "POST", items, Map.of("items", List.of(Map.of("id", "t1", "text", "x",
                "metadata", List.of(1)))));
        json("metadata is a string", "POST", items, Map.of("items", List.of(Map.of("id", "t2", "text", "x",
                "metadata", "m"))));
        json("filter is an array", "POST", search, Map.of("query", Map.of("text", "x"), "filter", List.of(1)));
        json("filter is a number", "POST", search, Map.of("query", Map.of("text", "x"), "filter", 5));
        json("top_k is a string", "POST", search, Map.of("query", Map.of("text", "x"), "top_k", "ten"));
        json("query is a string", "POST", search, Map.of("query", "x"));
        json("input is a number", "POST", "/v1/embeddings", Map.of("model", MODEL, "input", 5));
        json("input is an object", "POST", "/v1/embeddings", Map.of("model", MODEL, "input", Map.of()));
        json("labels is a string", "POST", "/v1/classify", Map.of("image", IMG, "labels", "a,b"));
        json("dimension is a string", "POST", "/v1/collections", Map.of("name", "typed", "dimension", "128"));
        raw("body is an array", "POST", "/v1/collections", "application/json", "[]");
        raw("body is null", "POST", "/v1/collections", "application/json", "null");
        raw("body is not JSON", "POST", search, "application/json", "{\"query\": {\"text\": ");
        raw("wrong content type", "POST", search, "text/plain", "query=x");
        // Huge and negative numbers.
        json("top_k negative", "POST", search, Map.of("query", Map.of("text", "x"), "top_k", -1));
        json("top_k huge", "POST", search, Map.of("query", Map.of("text", "x"), "top_k", 1_000_000_000));
        raw("top_k beyond a long", "POST", search, "application/json",
                "{\"query\":{\"text\":\"x\"},\"top_k\":99999999999999999999999}");
        json("ef_search zero", "POST", search, Map.of("query", Map.of("text", "x"), "ef_search", 0));
        json("ef_search huge", "POST", search, Map.of("query", Map.of("text", "x"), "ef_search", 100_000));
        json("min_score above one", "POST", search, Map.of("query", Map.of("text", "x"), "min_score", 5));
        json("min_score below minus one", "POST", search, Map.of("query", Map.of("text", "x"), "min_score", -2));
        json("dimension negative", "POST", "/v1/collections", Map.of("name", "neg", "dimension", -5));
        json("dimension huge", "POST", "/v1/collections", Map.of("name", "huge", "dimension", 100_000));
        json("classify top_k zero", "POST", "/v1/classify", Map.of("image", IMG, "labels", List.of("a", "b"),
                "top_k", 0));
        json("classifier top_k negative", "POST", "/v1/classifiers/none/classify", Map.of("image", IMG, "top_k", -3));
        json("empty vector", "POST", search, Map.of("query", Map.of("vector", List.of())));
        raw("vector component overflowing a float", "POST", search, "application/json",
                "{\"query\":{\"vector\":[1e39,1]}}");
        json("vector of the wrong dimension", "POST", search, Map.of("query", Map.of("vector", List.of(1, 2))));
        // Hostile names and ids.
        bad.add(new Bad("path traversal name", () -> a().get("/v1/collections/..%2F..%2Fetc%2Fpasswd")));
        bad.add(new Bad("name with a space", () -> a().get("/v1/collections/Bad%20Name")));
        bad.add(new Bad("item id NUL in the path", () -> a().get("/v1/collections/barrage/items/a%00b")));
        bad.add(new Bad("item id of 200 characters", () -> a().get("/v1/collections/barrage/items/" + "x".repeat(200))));
        bad.add(new Bad("upper-case classifier name", () -> a().body(Map.of("labels", List.of("a", "b")))
                .put("/v1/classifiers/UPPER")));
        bad.add(new Bad("name of 65 characters", () -> a().delete("/v1/collections/" + "a".repeat(65))));
        json("item id with slashes", "POST", items, Map.of("items", List.of(Map.of("id", "../../x", "text", "x"))));
        json("item id with quotes", "POST", items, Map.of("items", List.of(Map.of("id", "a'b\"c", "text", "x"))));
        // Prompt blow-ups.
        json("labels of 100k characters", "POST", "/v1/classify", Map.of("image", IMG, "labels",
                List.of("a".repeat(100_000), "b".repeat(100_000))));
        json("1000 labels x 32 long templates", "POST", "/v1/classify", Map.of("image", IMG, "labels",
                java.util.stream.IntStream.range(0, 1000).mapToObj(i -> "label " + i).toList(), "templates",
                Collections.nCopies(32, "{} " + "t".repeat(2_000))));
        json("classifier label of 60k characters", "PUT", "/v1/classifiers/big",
                Map.of("labels", List.of("x".repeat(60_000), "y")));
        // Broken multipart.
        raw("multipart cut short", "POST", items, "multipart/form-data; boundary=b",
                "--b\r\nContent-Disposition: form-data; name=\"file\"; filename=\"a.png\"\r\n\r\nabc");
        bad.add(new Bad("multipart without a file part", () -> given().header("Authorization", "Bearer " + attacker.key())
                .multiPart("metadata", "{}").post(items)));
        bad.add(new Bad("multipart classify without an image", () -> given().header("Authorization",
                "Bearer " + attacker.key()).multiPart("labels", "a").multiPart("labels", "b").post("/v1/classify")));
        bad.add(new Bad("multipart top_k not a number", () -> given().header("Authorization", "Bearer " + attacker.key())
                .multiPart("image", "a.png", base64Bytes(), "image/png").multiPart("labels", "a")
                .multiPart("labels", "b").multiPart("top_k", "x").post("/v1/classify")));
        bad.add(new Bad("multipart metadata not an object", () -> given().header("Authorization",
                "Bearer " + attacker.key()).multiPart("file", "a.png", base64Bytes(), "image/png")
                .multiPart("metadata", "[1]").post(items)));
        bad.add(new Bad("multipart label with NUL", () -> given().header("Authorization", "Bearer " + attacker.key())
                .multiPart("image", "a.png", base64Bytes(), "image/png").multiPart("labels", "a")
                .multiPart("labels", "b" + NUL).post("/v1/classify")));
        // Unknown models and dimensions.
        json("unknown model", "POST", "/v1/embeddings", Map.of("model", "gpt-4", "input", "x"));
        json("dimensions the model does not have", "POST", "/v1/embeddings", Map.of("model", MODEL, "input", "x",
                "dimensions", 7));
        // Image URLs that are not data URIs.
        json("https image URL", "POST", "/v1/embeddings", Map.of("model", MODEL, "input", List.of(Map.of("type",
                "image_url", "image_url", Map.of("url", "https://example.com/cat.png")))));
        json("text data URI as an image", "POST", "/v1/embeddings", Map.of("model", MODEL, "input", List.of(Map.of(
                "type", "image_url", "image_url", Map.of("url", "data:text/plain;base64,aGVsbG8=")))));
        json("file URL as an item image", "POST", items, Map.of("items", List.of(Map.of("id", "f1",
                "image", "file:///etc/passwd"))));
        json("metadata service URL to classify", "POST", "/v1/classify", Map.of("image",
                "http://169.254.169.254/latest/meta-data", "labels", List.of("a", "b")));
        json("script URL as a query image", "POST", "/v1/collections/barrage/image-to-text",
                Map.of("image", "javascript:alert(1)"));
        json("empty image to a classifier", "POST", "/v1/classifiers/none/classify", Map.of("image", ""));
        // Moderation, duplicates and on_duplicate (issue 16).
        json("policy prompt with NUL", "PUT", "/v1/moderation/policies/nul", Map.of("categories", List.of(Map.of(
                "name", "c", "prompts", List.of("a" + NUL), "threshold", 0.5, "action", "flag"))));
        json("policy benign prompt of 60k characters", "PUT", "/v1/moderation/policies/big", Map.of("categories",
                List.of(Map.of("name", "c", "prompts", List.of("a"), "benign", List.of("b".repeat(60_000)),
                        "threshold", 0.5, "action", "flag"))));
        json("policy threshold NaN as a string", "PUT", "/v1/moderation/policies/nan", Map.of("categories",
                List.of(Map.of("name", "c", "prompts", List.of("a"), "threshold", "NaN", "action", "flag"))));
        json("policy categories an object", "PUT", "/v1/moderation/policies/obj", Map.of("categories", Map.of()));
        json("policy of 17 categories", "PUT", "/v1/moderation/policies/many", Map.of("categories",
                java.util.stream.IntStream.range(0, 17).mapToObj(i -> Map.of("name", "c" + i, "prompts",
                        List.of("a"), "threshold", 0.5, "action", "flag")).toList()));
        bad.add(new Bad("upper-case policy name", () -> a().get("/v1/moderation/policies/UPPER")));
        json("moderate text with NUL", "POST", "/v1/moderate", Map.of("policy", "none", "text", NUL));
        json("moderate a file URL", "POST", "/v1/moderate", Map.of("policy", "none", "image", "file:///etc/passwd"));
        json("moderate without a policy", "POST", "/v1/moderate", Map.of("text", "x"));
        json("calibrate 1001 examples", "POST", "/v1/moderation/policies/none/calibrate", Map.of("target",
                Map.of("metric", "precision", "value", 0.9), "examples", Collections.nCopies(1001, Map.of("text",
                        "x", "categories", List.of()))));
        json("calibrate a target of 2", "POST", "/v1/moderation/policies/none/calibrate", Map.of("target",
                Map.of("metric", "precision", "value", 2), "examples", List.of(Map.of("text", "x", "categories",
                        List.of()))));
        json("duplicates threshold NaN as a string", "POST", "/v1/collections/barrage/duplicates",
                Map.of("threshold", "NaN"));
        json("duplicates threshold above one", "POST", "/v1/collections/barrage/duplicates", Map.of("threshold", 7));
        json("duplicates modality audio", "POST", "/v1/collections/barrage/duplicates", Map.of("modality", "audio"));
        raw("duplicates body an array", "POST", "/v1/collections/barrage/duplicates", "application/json", "[1]");
        json("on_duplicate unknown", "POST", items, Map.of("on_duplicate", "merge", "items", List.of(Map.of("id",
                "d1", "text", "x"))));
        json("duplicate_threshold without on_duplicate", "POST", items, Map.of("duplicate_threshold", 0.9,
                "items", List.of(Map.of("id", "d2", "text", "x"))));
        bad.add(new Bad("multipart duplicate_threshold not a number", () -> given().header("Authorization",
                "Bearer " + attacker.key()).multiPart("file", "a.png", base64Bytes(), "image/png")
                .multiPart("on_duplicate", "skip").multiPart("duplicate_threshold", "high").post(items)));
        bad.add(new Bad("multipart moderate without an image", () -> given().header("Authorization",
                "Bearer " + attacker.key()).multiPart("policy", "none").post("/v1/moderate")));

        assertTrue(bad.size() >= 60, "only " + bad.size() + " bad requests");
        List<Supplier<Response>> normal = List.of(
                () -> as(watcher.key()).get("/v1/collections"),
                () -> as(watcher.key()).body(Map.of("text", "a blue square", "top_k", 2))
                        .post("/v1/collections/calm/text-to-image"),
                () -> as(watcher.key()).body(Map.of("model", MODEL, "input", List.of("a red star")))
                        .post("/v1/embeddings"),
                () -> as(watcher.key()).body(Map.of("items", List.of(Map.of("id", "c3", "text", "a green cross"))))
                        .post("/v1/collections/calm/items"),
                () -> as(watcher.key()).body(Map.of("image", IMG, "labels", List.of("circle", "square")))
                        .post("/v1/classify"));
        List<String> failures = new ArrayList<>();
        for (int i = 0; i < bad.size(); i++) {
            Bad b = bad.get(i);
            Response r = b.send().get();
            int status = r.statusCode();
            String body = r.asString();
            if (status < 400 || status >= 500 || !r.contentType().startsWith("application/problem+json")
                    || !body.contains("\"type\":\"https://sightline.dev/problems/") || body.contains("Exception")
                    || body.contains("SQL") || body.contains("at dev.")) {
                failures.add(b.what() + ": " + status + " " + body);
            }
            Response ok = normal.get(i % normal.size()).get();
            assertEquals(200, ok.statusCode(), "tenant B after '" + b.what() + "': " + ok.asString());
        }
        assertTrue(failures.isEmpty(), failures.size() + " of " + bad.size() + " bad requests not answered 4xx "
                + "problem+json:\n" + String.join("\n", failures));
        assertFalse(as(watcher.key()).get("/v1/collections").asString().contains("barrage"));
    }

    private static byte[] base64Bytes() {
        return dev.sightline.gateway.support.Gateway.fixture("tiny.png");
    }
}
