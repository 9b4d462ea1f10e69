package dev.sightline.retrieval.api;

import static dev.sightline.retrieval.support.Tenants.as;
import static dev.sightline.retrieval.support.Tenants.item;
import static org.hamcrest.Matchers.contains;
import static org.hamcrest.Matchers.equalTo;
import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.sightline.retrieval.support.Tenants;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.response.Response;
import io.restassured.specification.RequestSpecification;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.junit.jupiter.api.DynamicTest;
import org.junit.jupiter.api.TestFactory;

/**
 * Bad input is the sender's problem only: every request below is answered 4xx problem+json of the exact type, and
 * another tenant's ordinary search and write succeed right after each one. Bodies are raw JSON text, so
 * {@code \\u0000} below is the six-character JSON escape that decodes to NUL.
 */
@QuarkusTest
class BadInputTest {

    private static final String PROBLEMS = "https://sightline.dev/problems/";
    private static final String INVALID_REQUEST = "invalid-request";
    private static final String INVALID_JSON = "invalid-json";
    private static final String TOO_LARGE = "payload-too-large";

    /** One bad request; {@code body} is a String (sent as UTF-8) or raw bytes. */
    private record Case(String name, String method, String path, Object body, int status, String type) {
    }

    private static final String ITEMS = "/collections/c/items";
    private static final String SEARCH = "/collections/c/search";

    private static String itemWith(String fields) {
        return "{\"items\":[{\"id\":\"n\",\"vector\":[1,0,0],\"modality\":\"image\"" + fields + "}]}";
    }

    private static String search(String fields) {
        return "{\"vector\":[1,0,0]" + fields + "}";
    }

    private static String nested(int depth) {
        return "{\"a\":".repeat(depth - 1) + "{}" + "}".repeat(depth - 1);
    }

    private static String classifier(String model, String labels, String templates, String vectors) {
        return "{\"model\":" + model + ",\"labels\":" + labels + ",\"templates\":" + templates + ",\"label_vectors\":"
                + vectors + "}";
    }

    private static final String TWO_VECTORS = "[[1,0],[0,1]]";

    private static List<Case> cases() {
        List<Case> c = new ArrayList<>();
        // Collections: names, models, dimensions, body shapes.
        c.add(new Case("model with NUL", "PUT", "/collections/x", "{\"dimension\":3,\"model\":\"m\\u0000\"}", 400, INVALID_REQUEST));
        c.add(new Case("model with a lone high surrogate", "PUT", "/collections/x", "{\"dimension\":3,\"model\":\"\\ud800\"}", 400, INVALID_REQUEST));
        c.add(new Case("model with a lone low surrogate", "PUT", "/collections/x", "{\"dimension\":3,\"model\":\"x\\udc00\"}", 400, INVALID_REQUEST));
        c.add(new Case("model of 201 characters", "PUT", "/collections/x", "{\"dimension\":3,\"model\":\"" + "m".repeat(201) + "\"}", 400, INVALID_REQUEST));
        c.add(new Case("model as an object", "PUT", "/collections/x", "{\"dimension\":3,\"model\":{}}", 400, INVALID_JSON));
        c.add(new Case("dimension 0", "PUT", "/collections/x", "{\"dimension\":0,\"model\":\"m\"}", 400, INVALID_REQUEST));
        c.add(new Case("negative dimension", "PUT", "/collections/x", "{\"dimension\":-3,\"model\":\"m\"}", 400, INVALID_REQUEST));
        c.add(new Case("dimension over the limit", "PUT", "/collections/x", "{\"dimension\":2001,\"model\":\"m\"}", 400, INVALID_REQUEST));
        c.add(new Case("dimension beyond int", "PUT", "/collections/x", "{\"dimension\":2147483648,\"model\":\"m\"}", 400, INVALID_JSON));
        c.add(new Case("dimension 1e400", "PUT", "/collections/x", "{\"dimension\":1e400,\"model\":\"m\"}", 400, INVALID_JSON));
        c.add(new Case("dimension as text", "PUT", "/collections/x", "{\"dimension\":\"three\",\"model\":\"m\"}", 400, INVALID_JSON));
        c.add(new Case("collection body an array", "PUT", "/collections/x", "[1]", 400, INVALID_JSON));
        c.add(new Case("collection body a string", "PUT", "/collections/x", "\"x\"", 400, INVALID_JSON));
        c.add(new Case("collection body cut short", "PUT", "/collections/x", "{\"dimension\":3,", 400, INVALID_JSON));
        c.add(new Case("raw control character in a string", "PUT", "/collections/x", "{\"dimension\":3,\"model\":\"a\u0000b\"}", 400, INVALID_JSON));
        c.add(new Case("invalid UTF-8", "PUT", "/collections/x", bytes("{\"dimension\":3,\"model\":\"", new byte[] {(byte) 0xff, (byte) 0xfe}, "\"}"), 400, INVALID_JSON));
        c.add(new Case("collection name with NUL", "PUT", "/collections/a%00b", "{\"dimension\":3,\"model\":\"m\"}", 400, INVALID_REQUEST));
        c.add(new Case("collection name in upper case", "PUT", "/collections/Photos", "{\"dimension\":3,\"model\":\"m\"}", 400, INVALID_REQUEST));
        c.add(new Case("collection name of 64 characters", "PUT", "/collections/" + "x".repeat(64), "{\"dimension\":3,\"model\":\"m\"}", 400, INVALID_REQUEST));
        c.add(new Case("collection name of 1000 characters", "GET", "/collections/" + "x".repeat(1000), null, 400, INVALID_REQUEST));
        c.add(new Case("collection name with SQL", "PUT", "/collections/x%27%3B%20DROP%20TABLE%20items%3B--", "{\"dimension\":3,\"model\":\"m\"}", 400, INVALID_REQUEST));
        c.add(new Case("collection name with a right-to-left override", "GET", "/collections/a%E2%80%AEb", null, 400, INVALID_REQUEST));
        c.add(new Case("collection name with an encoded slash", "DELETE", "/collections/a%2Fb", null, 400, INVALID_REQUEST));
        c.add(new Case("collection name of dots", "GET", "/collections/%2E%2E%2E", null, 400, INVALID_REQUEST));
        c.add(new Case("collection body as text/plain", "PUT", "/collections/x", "dimension=3", 415, "unsupported-media-type"));

        // Items: text, ids, metadata at any depth, vectors, versions, batch shapes.
        c.add(new Case("item text with NUL", "POST", ITEMS, itemWith(",\"text\":\"a\\u0000\""), 400, INVALID_REQUEST));
        c.add(new Case("item text with a lone surrogate", "POST", ITEMS, itemWith(",\"text\":\"cat \\ud83d\""), 400, INVALID_REQUEST));
        c.add(new Case("item text of 8193 characters", "POST", ITEMS, itemWith(",\"text\":\"" + "t".repeat(8193) + "\""), 413, TOO_LARGE));
        c.add(new Case("item text as an array", "POST", ITEMS, itemWith(",\"text\":[\"a\"]"), 400, INVALID_JSON));
        c.add(new Case("metadata value with NUL", "POST", ITEMS, itemWith(",\"metadata\":{\"a\":\"\\u0000\"}"), 400, INVALID_REQUEST));
        c.add(new Case("metadata key with NUL", "POST", ITEMS, itemWith(",\"metadata\":{\"\\u0000\":1}"), 400, INVALID_REQUEST));
        c.add(new Case("metadata NUL three levels down", "POST", ITEMS, itemWith(",\"metadata\":{\"a\":{\"b\":[\"ok\",\"x\\u0000\"]}}"), 400, INVALID_REQUEST));
        // The JSON reader itself refuses a lone surrogate in a field name (in a value it is ours to refuse).
        c.add(new Case("metadata key with a lone surrogate", "POST", ITEMS, itemWith(",\"metadata\":{\"\\udfff\":1}"), 400, INVALID_JSON));
        c.add(new Case("metadata value with a lone surrogate", "POST", ITEMS, itemWith(",\"metadata\":{\"k\":[\"\\udfff\"]}"), 400, INVALID_REQUEST));
        c.add(new Case("metadata an array", "POST", ITEMS, itemWith(",\"metadata\":[1]"), 400, INVALID_REQUEST));
        c.add(new Case("metadata a string", "POST", ITEMS, itemWith(",\"metadata\":\"x\""), 400, INVALID_REQUEST));
        c.add(new Case("metadata a number", "POST", ITEMS, itemWith(",\"metadata\":5"), 400, INVALID_REQUEST));
        c.add(new Case("metadata a boolean", "POST", ITEMS, itemWith(",\"metadata\":true"), 400, INVALID_REQUEST));
        c.add(new Case("metadata nested 33 deep", "POST", ITEMS, itemWith(",\"metadata\":" + nested(33)), 400, INVALID_REQUEST));
        c.add(new Case("metadata nested 900 deep", "POST", ITEMS, itemWith(",\"metadata\":" + nested(900)), 400, INVALID_REQUEST));
        c.add(new Case("metadata number 1e999", "POST", ITEMS, itemWith(",\"metadata\":{\"n\":1e999}"), 400, INVALID_REQUEST));
        c.add(new Case("metadata over 16384 bytes in two-byte characters", "POST", ITEMS, itemWith(",\"metadata\":{\"k\":\"" + "é".repeat(8200) + "\"}"), 413, TOO_LARGE));
        c.add(new Case("item id with NUL", "POST", ITEMS, "{\"items\":[{\"id\":\"a\\u0000\",\"vector\":[1,0,0],\"modality\":\"image\"}]}", 400, INVALID_REQUEST));
        c.add(new Case("item id with an accent", "POST", ITEMS, "{\"items\":[{\"id\":\"caf\u00e9\",\"vector\":[1,0,0],\"modality\":\"image\"}]}", 400, INVALID_REQUEST));
        c.add(new Case("item id of 129 characters", "POST", ITEMS, "{\"items\":[{\"id\":\"" + "i".repeat(129) + "\",\"vector\":[1,0,0],\"modality\":\"image\"}]}", 400, INVALID_REQUEST));
        c.add(new Case("empty item id", "POST", ITEMS, "{\"items\":[{\"id\":\"\",\"vector\":[1,0,0],\"modality\":\"image\"}]}", 400, INVALID_REQUEST));
        c.add(new Case("item id with a path", "POST", ITEMS, "{\"items\":[{\"id\":\"../../etc/passwd\",\"vector\":[1,0,0],\"modality\":\"image\"}]}", 400, INVALID_REQUEST));
        c.add(new Case("missing item id", "POST", ITEMS, "{\"items\":[{\"vector\":[1,0,0],\"modality\":\"image\"}]}", 400, INVALID_REQUEST));
        c.add(new Case("item id an object", "POST", ITEMS, "{\"items\":[{\"id\":{},\"vector\":[1,0,0],\"modality\":\"image\"}]}", 400, INVALID_JSON));
        c.add(new Case("vector with a NaN", "POST", ITEMS, "{\"items\":[{\"id\":\"n\",\"vector\":[\"NaN\",0,0],\"modality\":\"image\"}]}", 400, "invalid-vector"));
        c.add(new Case("vector overflowing float", "POST", ITEMS, "{\"items\":[{\"id\":\"n\",\"vector\":[1e39,0,0],\"modality\":\"image\"}]}", 400, "invalid-vector"));
        c.add(new Case("vector of zeros", "POST", ITEMS, "{\"items\":[{\"id\":\"n\",\"vector\":[0,0,0],\"modality\":\"image\"}]}", 400, "invalid-vector"));
        c.add(new Case("vector of another dimension", "POST", ITEMS, "{\"items\":[{\"id\":\"n\",\"vector\":[1,0],\"modality\":\"image\"}]}", 400, "dimension-mismatch"));
        c.add(new Case("vector of 5000 dimensions", "POST", ITEMS, "{\"items\":[{\"id\":\"n\",\"vector\":[" + "1,".repeat(4999) + "1],\"modality\":\"image\"}]}", 400, "dimension-mismatch"));
        c.add(new Case("vector of strings", "POST", ITEMS, "{\"items\":[{\"id\":\"n\",\"vector\":[\"a\",\"b\",\"c\"],\"modality\":\"image\"}]}", 400, INVALID_JSON));
        c.add(new Case("vector an object", "POST", ITEMS, "{\"items\":[{\"id\":\"n\",\"vector\":{\"0\":1},\"modality\":\"image\"}]}", 400, INVALID_JSON));
        c.add(new Case("unknown modality", "POST", ITEMS, "{\"items\":[{\"id\":\"n\",\"vector\":[1,0,0],\"modality\":\"audio\"}]}", 400, INVALID_REQUEST));
        c.add(new Case("modality with NUL", "POST", ITEMS, "{\"items\":[{\"id\":\"n\",\"vector\":[1,0,0],\"modality\":\"image\\u0000\"}]}", 400, INVALID_REQUEST));
        c.add(new Case("version 0", "POST", ITEMS, itemWith(",\"version\":0"), 400, INVALID_REQUEST));
        c.add(new Case("negative version", "POST", ITEMS, itemWith(",\"version\":-5"), 400, INVALID_REQUEST));
        c.add(new Case("version beyond long", "POST", ITEMS, itemWith(",\"version\":9223372036854775808"), 400, INVALID_JSON));
        c.add(new Case("version as text", "POST", ITEMS, itemWith(",\"version\":\"new\""), 400, INVALID_JSON));
        c.add(new Case("items an object", "POST", ITEMS, "{\"items\":{}}", 400, INVALID_JSON));
        c.add(new Case("items empty", "POST", ITEMS, "{\"items\":[]}", 400, INVALID_REQUEST));
        c.add(new Case("items with a null", "POST", ITEMS, "{\"items\":[null]}", 400, INVALID_REQUEST));
        c.add(new Case("items a string", "POST", ITEMS, "{\"items\":\"x\"}", 400, INVALID_JSON));
        c.add(new Case("upsert body an array", "POST", ITEMS, "[1]", 400, INVALID_JSON));
        c.add(new Case("upsert body empty", "POST", ITEMS, "", 400, INVALID_REQUEST));
        c.add(new Case("duplicate ids in a batch", "POST", ITEMS, "{\"items\":[{\"id\":\"d\",\"vector\":[1,0,0],\"modality\":\"image\"},{\"id\":\"d\",\"vector\":[0,1,0],\"modality\":\"image\"}]}", 400, INVALID_REQUEST));
        c.add(new Case("1001 items", "POST", ITEMS, "{\"items\":[" + ("{\"id\":\"n\",\"vector\":[1,0,0],\"modality\":\"image\"},".repeat(1000)) + "{\"id\":\"n\",\"vector\":[1,0,0],\"modality\":\"image\"}]}", 413, TOO_LARGE));
        c.add(new Case("items of an unknown collection", "POST", "/collections/nope/items", itemWith(""), 404, "not-found"));

        // Search: filters, numbers, targets.
        c.add(new Case("filter value with NUL", "POST", SEARCH, search(",\"filter\":{\"a\":\"\\u0000\"}"), 400, INVALID_REQUEST));
        c.add(new Case("filter key with NUL", "POST", SEARCH, search(",\"filter\":{\"a\\u0000\":\"b\"}"), 400, INVALID_REQUEST));
        c.add(new Case("filter key with a lone surrogate", "POST", SEARCH, search(",\"filter\":{\"\\ud800\":\"b\"}"), 400, INVALID_JSON));
        c.add(new Case("filter with a lone surrogate", "POST", SEARCH, search(",\"filter\":{\"a\":[\"\\ud800\"]}"), 400, INVALID_REQUEST));
        c.add(new Case("filter an array", "POST", SEARCH, search(",\"filter\":[1]"), 400, INVALID_REQUEST));
        c.add(new Case("filter a string", "POST", SEARCH, search(",\"filter\":\"colour=red\""), 400, INVALID_REQUEST));
        c.add(new Case("filter a number", "POST", SEARCH, search(",\"filter\":1"), 400, INVALID_REQUEST));
        c.add(new Case("filter nested 33 deep", "POST", SEARCH, search(",\"filter\":" + nested(33)), 400, INVALID_REQUEST));
        c.add(new Case("filter number 1e999", "POST", SEARCH, search(",\"filter\":{\"n\":-1e999}"), 400, INVALID_REQUEST));
        c.add(new Case("filter over 4096 bytes", "POST", SEARCH, search(",\"filter\":{\"k\":\"" + "f".repeat(4100) + "\"}"), 413, TOO_LARGE));
        c.add(new Case("top_k 0", "POST", SEARCH, search(",\"top_k\":0"), 400, INVALID_REQUEST));
        c.add(new Case("negative top_k", "POST", SEARCH, search(",\"top_k\":-1"), 400, INVALID_REQUEST));
        c.add(new Case("top_k over the limit", "POST", SEARCH, search(",\"top_k\":1001"), 400, INVALID_REQUEST));
        c.add(new Case("top_k 1e12", "POST", SEARCH, search(",\"top_k\":1e12"), 400, INVALID_JSON));
        c.add(new Case("top_k beyond long", "POST", SEARCH, search(",\"top_k\":99999999999999999999"), 400, INVALID_JSON));
        c.add(new Case("ef_search 0", "POST", SEARCH, search(",\"ef_search\":0"), 400, INVALID_REQUEST));
        c.add(new Case("ef_search over the limit", "POST", SEARCH, search(",\"ef_search\":1001"), 400, INVALID_REQUEST));
        c.add(new Case("ef_search beyond int", "POST", SEARCH, search(",\"ef_search\":2147483648"), 400, INVALID_JSON));
        c.add(new Case("min_score NaN", "POST", SEARCH, search(",\"min_score\":\"NaN\""), 400, INVALID_REQUEST));
        c.add(new Case("min_score above 1", "POST", SEARCH, search(",\"min_score\":1.5"), 400, INVALID_REQUEST));
        c.add(new Case("min_score below -1", "POST", SEARCH, search(",\"min_score\":-2"), 400, INVALID_REQUEST));
        c.add(new Case("min_score 1e999", "POST", SEARCH, search(",\"min_score\":1e999"), 400, INVALID_REQUEST));
        c.add(new Case("modality with NUL in a search", "POST", SEARCH, search(",\"modality\":\"text\\u0000\""), 400, INVALID_REQUEST));
        c.add(new Case("query vector with a NaN", "POST", SEARCH, "{\"vector\":[\"NaN\",1,0]}", 400, "invalid-vector"));
        c.add(new Case("query vector of another dimension", "POST", SEARCH, "{\"vector\":[1,0,0,0]}", 400, "dimension-mismatch"));
        c.add(new Case("both vector and item_id", "POST", SEARCH, search(",\"item_id\":\"a\""), 400, INVALID_REQUEST));
        c.add(new Case("neither vector nor item_id", "POST", SEARCH, "{\"top_k\":3}", 400, INVALID_REQUEST));
        c.add(new Case("item_id with NUL", "POST", SEARCH, "{\"item_id\":\"a\\u0000\"}", 400, INVALID_REQUEST));
        c.add(new Case("item_id with a path", "POST", SEARCH, "{\"item_id\":\"../a\"}", 400, INVALID_REQUEST));
        c.add(new Case("unknown item_id", "POST", SEARCH, "{\"item_id\":\"ghost\"}", 404, "not-found"));
        c.add(new Case("search body an array", "POST", SEARCH, "[1,0,0]", 400, INVALID_JSON));

        // Items by path.
        c.add(new Case("item path id with NUL", "GET", "/collections/c/items/a%00b", null, 400, INVALID_REQUEST));
        c.add(new Case("item path id with an accent", "GET", "/collections/c/items/caf%C3%A9", null, 400, INVALID_REQUEST));
        c.add(new Case("item path id of 129 characters", "DELETE", "/collections/c/items/" + "i".repeat(129), null, 400, INVALID_REQUEST));
        c.add(new Case("include with NUL", "GET", "/collections/c/items/a?include=vector%00", null, 400, INVALID_REQUEST));
        c.add(new Case("delete item id with NUL", "DELETE", "/collections/c/items/a%00", null, 400, INVALID_REQUEST));

        // Classifiers: labels, templates, model, vectors.
        c.add(new Case("label with NUL", "PUT", "/classifiers/k", classifier("\"m\"", "[\"cat\",\"d\\u0000g\"]", "[\"{}\"]", TWO_VECTORS), 400, INVALID_REQUEST));
        c.add(new Case("label with a lone surrogate", "PUT", "/classifiers/k", classifier("\"m\"", "[\"cat\",\"\\ud800\"]", "[\"{}\"]", TWO_VECTORS), 400, INVALID_REQUEST));
        c.add(new Case("template with NUL", "PUT", "/classifiers/k", classifier("\"m\"", "[\"cat\",\"dog\"]", "[\"a {}\\u0000\"]", TWO_VECTORS), 400, INVALID_REQUEST));
        c.add(new Case("classifier model with NUL", "PUT", "/classifiers/k", classifier("\"m\\u0000\"", "[\"cat\",\"dog\"]", "[\"{}\"]", TWO_VECTORS), 400, INVALID_REQUEST));
        c.add(new Case("labels a string", "PUT", "/classifiers/k", classifier("\"m\"", "\"cat,dog\"", "[\"{}\"]", TWO_VECTORS), 400, INVALID_JSON));
        c.add(new Case("labels with a null", "PUT", "/classifiers/k", classifier("\"m\"", "[\"cat\",null]", "[\"{}\"]", TWO_VECTORS), 400, INVALID_REQUEST));
        c.add(new Case("label vector with a NaN", "PUT", "/classifiers/k", classifier("\"m\"", "[\"cat\",\"dog\"]", "[\"{}\"]", "[[\"NaN\",0],[0,1]]"), 400, "invalid-vector"));
        c.add(new Case("label vectors of 2001 dimensions", "PUT", "/classifiers/k", classifier("\"m\"", "[\"cat\",\"dog\"]", "[\"{}\"]", "[[" + "1,".repeat(2000) + "1],[" + "1,".repeat(2000) + "1]]"), 400, INVALID_REQUEST));
        c.add(new Case("label vectors a string", "PUT", "/classifiers/k", classifier("\"m\"", "[\"cat\",\"dog\"]", "[\"{}\"]", "\"[[1,0],[0,1]]\""), 400, INVALID_JSON));
        c.add(new Case("classifier name with NUL", "PUT", "/classifiers/a%00", classifier("\"m\"", "[\"cat\",\"dog\"]", "[\"{}\"]", TWO_VECTORS), 400, INVALID_REQUEST));
        return c;
    }

    private static byte[] bytes(String before, byte[] middle, String after) {
        byte[] a = before.getBytes(StandardCharsets.UTF_8);
        byte[] c = after.getBytes(StandardCharsets.UTF_8);
        byte[] out = new byte[a.length + middle.length + c.length];
        System.arraycopy(a, 0, out, 0, a.length);
        System.arraycopy(middle, 0, out, a.length, middle.length);
        System.arraycopy(c, 0, out, a.length + middle.length, c.length);
        return out;
    }

    private static Response send(String tenant, Case k) {
        RequestSpecification r = Tenants.internal().urlEncodingEnabled(false).header("X-Sightline-Tenant", tenant);
        if (k.body() instanceof byte[] b) {
            r = r.contentType("application/json").body(b);
        } else if (k.body() != null) {
            r = r.contentType(k.type().equals("unsupported-media-type") ? "text/plain" : "application/json; charset=UTF-8")
                    .body(((String) k.body()).getBytes(StandardCharsets.UTF_8));
        }
        return r.request(k.method(), k.path());
    }

    @TestFactory
    Stream<DynamicTest> everyBadRequestIsTheSendersProblemOnly() {
        String attacker = Tenants.fresh();
        Tenants.collection(attacker, "c", 3);
        Tenants.upsert(attacker, "c", List.of(item("a", new float[] {1, 0, 0}, "image")));
        String bystander = Tenants.fresh();
        Tenants.collection(bystander, "b", 3);
        Tenants.upsert(bystander, "b", List.of(item("b1", new float[] {1, 0, 0}, "image"),
                item("b2", new float[] {1, 1, 0}, "text"), item("b3", new float[] {0, 0, 1}, "image")));
        int[] round = {0};
        Stream<DynamicTest> bad = cases().stream().map(k -> DynamicTest.dynamicTest(k.name(), () -> {
            Response r = send(attacker, k);
            assertEquals(k.status(), r.statusCode(), k.name() + ": " + r.asString());
            assertEquals("application/problem+json", r.contentType().split(";")[0], k.name());
            assertEquals(PROBLEMS + k.type(), r.jsonPath().getString("type"), k.name());
            assertEquals(k.status(), r.jsonPath().getInt("status"), k.name());
            // Right after it, another tenant's ordinary work succeeds.
            as(bystander).body(Map.of("vector", new float[] {1, 0, 0}, "top_k", 2)).post("/collections/b/search").then()
                    .statusCode(200).body("results.id", contains("b1", "b2"));
            int n = ++round[0];
            as(bystander).body(Map.of("items", List.of(item("w" + n, new float[] {0, 1, n}, "text"))))
                    .post("/collections/b/items").then().statusCode(200)
                    .body("upserted", equalTo(1));
        }));
        DynamicTest untouched = DynamicTest.dynamicTest("the attacker's data is as it was", () -> {
            as(attacker).get("/collections").then().statusCode(200)
                    .body("collections.name", contains("c"));
            as(attacker).get("/collections/c").then().statusCode(200).body("counts.image", equalTo(1))
                    .body("counts.text", equalTo(0));
            as(attacker).get("/classifiers/k").then().statusCode(404);
        });
        return Stream.concat(bad, Stream.of(untouched));
    }

    @TestFactory
    Stream<DynamicTest> invalidTenantsAreRefusedBeforeAnythingIsRead() {
        return Stream.of("Bad Tenant", "t/../u", "x".repeat(64), "t%00", "")
                .map(t -> DynamicTest.dynamicTest("tenant '" + t + "'", () -> {
                    Response r = Tenants.internal().header("X-Sightline-Tenant", t).get("/collections");
                    assertEquals(400, r.statusCode(), r.asString());
                    assertEquals(PROBLEMS + "missing-tenant", r.jsonPath().getString("type"));
                }));
    }
}
