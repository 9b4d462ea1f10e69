package dev.sightline.retrieval.bulk;

import static dev.sightline.retrieval.support.Tenants.as;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.equalTo;
import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.sightline.retrieval.support.Tenants;
import io.quarkus.test.junit.QuarkusTest;
import java.io.OutputStream;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Random;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** {@code POST /collections/{name}/items/bulk} and JSON upserts large enough to take the COPY path. */
@QuarkusTest
class BulkWriteTest {

    private static final int DIM = 8;
    private String tenant;

    @BeforeEach
    void collection() {
        tenant = Tenants.fresh();
        Tenants.collection(tenant, "c", DIM);
    }

    private long count() {
        Map<String, Integer> counts = as(tenant).get("/collections/c").then().statusCode(200).extract().jsonPath()
                .getMap("counts");
        return counts.values().stream().mapToLong(Integer::longValue).sum();
    }

    private List<Float> vectorOf(String id) {
        return as(tenant).get("/collections/c/items/" + id + "?include=vector").then().statusCode(200).extract()
                .jsonPath().getList("vector", Float.class);
    }

    private static List<Float> list(float[] v) {
        List<Float> out = new ArrayList<>();
        for (float x : v) {
            out.add(x);
        }
        return out;
    }

    @Test
    void storesEveryLineWithItsTextMetadataAndExactVector() {
        Random r = new Random(1);
        Ndjson body = new Ndjson();
        float[] first = Ndjson.random(r, DIM);
        body.item("a-0", "text", first, "\"text\":\"a red star\",\"metadata\":{\"k\":\"v\",\"n\":[1,2]}");
        for (int i = 1; i < 300; i++) {
            body.item("a-" + i, i % 2 == 0 ? "text" : "image", Ndjson.random(r, DIM), "");
        }
        body.post(tenant, "c").statusCode(200).body("collection", equalTo("c")).body("upserted", equalTo(300))
                .body("stale.size()", equalTo(0));
        assertEquals(300, count());
        as(tenant).get("/collections/c/items/a-0").then().body("text", equalTo("a red star"))
                .body("modality", equalTo("text")).body("metadata.k", equalTo("v")).body("metadata.n[1]", equalTo(2));
        assertEquals(list(first), vectorOf("a-0"));
    }

    @Test
    void oneBadLineWritesNothingAndIsNamed() {
        Random r = new Random(2);
        Ndjson body = new Ndjson();
        for (int i = 0; i < 250; i++) {
            body.item("b-" + i, "image", Ndjson.random(r, i == 199 ? DIM - 1 : DIM), "");
        }
        body.post(tenant, "c").statusCode(400).contentType("application/problem+json")
                .body("type", equalTo("https://sightline.dev/problems/dimension-mismatch"))
                .body("detail", containsString("line 200"));
        assertEquals(0, count());
    }

    @Test
    void unreadableDuplicateAndEmptyBodiesAreRefusedWholly() {
        float[] v = Ndjson.random(new Random(3), DIM);
        new Ndjson().item("x", "image", v, "").line("{\"id\": \"y\", \"vector\": [1, 2,").post(tenant, "c")
                .statusCode(400).body("detail", containsString("line 2"));
        new Ndjson().item("x", "image", v, "").line("[1, 2, 3]").post(tenant, "c").statusCode(400)
                .body("detail", containsString("line 2"));
        new Ndjson().item("x", "image", v, "").item("x", "text", v, "").post(tenant, "c").statusCode(400)
                .body("detail", containsString("duplicate id x"));
        new Ndjson().item("x", "sound", v, "").post(tenant, "c").statusCode(400);
        new Ndjson().item("x", "image", v, "\"version\": -4").post(tenant, "c").statusCode(400)
                .body("detail", containsString("version must be positive"));
        new Ndjson().line("").post(tenant, "c").statusCode(400).body("detail", containsString("no items"));
        as(tenant).body("{\"id\":\"x\"}").post("/collections/c/items/bulk").then().statusCode(415);
        new Ndjson().item("x", "image", v, "").post(tenant, "missing").statusCode(404);
        assertEquals(0, count());
    }

    @Test
    void versionsAreHonouredAsInTheRowPath() {
        float[] v1 = {1, 0, 0, 0, 0, 0, 0, 0};
        float[] v2 = {0, 1, 0, 0, 0, 0, 0, 0};
        new Ndjson().item("v", "image", v1, "\"version\": 5").item("w", "image", v1, "\"version\": 5")
                .post(tenant, "c").statusCode(200).body("upserted", equalTo(2));
        // An older version of v is stale; w's equal version is the same write retried and applies.
        new Ndjson().item("v", "image", v2, "\"version\": 3").item("w", "image", v2, "\"version\": 5")
                .post(tenant, "c").statusCode(200).body("upserted", equalTo(1)).body("stale", equalTo(List.of("v")));
        assertEquals(list(v1), vectorOf("v"));
        assertEquals(list(v2), vectorOf("w"));
        // No version: always applies, with a version above the one it replaces.
        new Ndjson().item("v", "text", v2, "").post(tenant, "c").statusCode(200).body("upserted", equalTo(1));
        assertEquals(list(v2), vectorOf("v"));
        new Ndjson().item("v", "image", v1, "\"version\": 6").post(tenant, "c").statusCode(200)
                .body("stale", equalTo(List.of("v")));
    }

    @Test
    void aJsonUpsertOfManyItemsTakesTheCopyPathWithTheSameAnswer() {
        Random r = new Random(4);
        List<Map<String, Object>> items = new ArrayList<>();
        for (int i = 0; i < 100; i++) {
            items.add(Tenants.item("j-" + i, Ndjson.random(r, DIM), "image", Map.of("i", i)));
        }
        as(tenant).body(Map.of("items", items)).post("/collections/c/items").then().statusCode(200)
                .body("upserted", equalTo(100));
        as(tenant).get("/collections/c/items/j-42").then().body("metadata.i", equalTo(42));
        assertEquals(list((float[]) items.get(42).get("vector")), vectorOf("j-42"));
    }

    @Test
    void aClientThatGoesAwayMidBodyLeavesNothingBehind() throws Exception {
        Random r = new Random(5);
        Ndjson body = new Ndjson();
        for (int i = 0; i < 2000; i++) {
            body.item("cut-" + i, "image", Ndjson.random(r, DIM), "");
        }
        byte[] bytes = body.text().getBytes(StandardCharsets.UTF_8);
        int port = io.restassured.RestAssured.port;
        try (Socket s = new Socket("127.0.0.1", port)) {
            OutputStream out = s.getOutputStream();
            out.write(("POST /collections/c/items/bulk HTTP/1.1\r\nHost: localhost\r\nAuthorization: "
                    + dev.sightline.testsupport.TestCredential.AUTHORIZATION + "\r\nX-Sightline-Tenant: " + tenant
                    + "\r\nContent-Type: application/x-ndjson\r\nContent-Length: " + bytes.length + "\r\n\r\n")
                    .getBytes(StandardCharsets.US_ASCII));
            out.write(bytes, 0, bytes.length * 2 / 3);
            out.flush();
            Thread.sleep(300);
        }
        // The service sees the body end early, rolls back, and a complete write afterwards is unaffected.
        long deadline = System.nanoTime() + 5_000_000_000L;
        while (System.nanoTime() < deadline) {
            assertEquals(0, count());
            Thread.sleep(100);
        }
        new Ndjson().item("after", "image", Ndjson.random(r, DIM), "").post(tenant, "c").statusCode(200);
        assertEquals(1, count());
    }

    @Test
    void eachItemIsOneLineAndALineOverTheLimitIsRefusedByNumber() {
        float[] v = Ndjson.random(new Random(4), DIM);
        // An object spread over two lines is two unreadable lines, not one item.
        new Ndjson().item("x", "image", v, "").line("{\"id\": \"y\", \"modality\": \"image\",")
                .line("\"vector\": [1, 2, 3, 4, 5, 6, 7, 8]}").post(tenant, "c").statusCode(400)
                .body("detail", containsString("line 2"));
        // bulk.max-line-bytes (1 MiB): refused with the line's number before the line is read whole.
        new Ndjson().item("x", "image", v, "").line("{\"id\": \"y\", \"text\": \"" + "z".repeat(1_100_000) + "\"}")
                .post(tenant, "c").statusCode(413).body("detail", containsString("line 2 is longer than 1048576 bytes"));
        // Blank lines and CRLF line ends are fine, and line numbers count every line.
        new Ndjson().line("").item("x", "image", v, "").line("  \r").line("{\"id\":\"y\",\"modality\":\"image\","
                + "\"vector\":[1,2,3,4,5,6,7,8]}\r").line("{\"id\":\"z\"}").post(tenant, "c").statusCode(400)
                .body("detail", containsString("line 5: id, vector and modality are required"));
        assertEquals(0, count());
        new Ndjson().line("").item("x", "image", v, "").line("  \r").line("{\"id\":\"y\",\"modality\":\"image\","
                + "\"vector\":[1,2,3,4,5,6,7,8]}\r").post(tenant, "c").statusCode(200).body("upserted", equalTo(2));
        assertEquals(List.of(1f, 2f, 3f, 4f, 5f, 6f, 7f, 8f), vectorOf("y"));
    }

    @Test
    void vectorsWrittenInAnyJsonNumberFormReadAsTheJsonUpsertReadsThem() {
        // The bulk route parses vectors itself (VectorLine), the JSON route with Jackson: the same text, the same floats.
        String[] texts = {"-0", "-0.0", "1E-45", "3.4028235e38", "0.1", "-1.5e-7", "123456789012345678901234567890",
            "0.30000001192092896"};
        String eight = "[" + String.join(",", texts) + "]";
        new Ndjson().line("{\"id\":\"b\",\"modality\":\"image\",\"vector\":" + eight + "}").post(tenant, "c")
                .statusCode(200);
        as(tenant).contentType("application/json").body("{\"items\":[{\"id\":\"j\",\"modality\":\"image\",\"vector\":"
                + eight + "}]}").post("/collections/c/items").then().statusCode(200);
        assertEquals(vectorOf("j"), vectorOf("b"));
        float[] expected = {0f, -0f, Float.MIN_VALUE, Float.MAX_VALUE, 0.1f, -1.5e-7f, 1.2345679e29f, 0.3f};
        List<Float> stored = vectorOf("b");
        for (int i = 0; i < expected.length; i++) {
            assertEquals(expected[i], stored.get(i), 0f, texts[i]); // zero's sign is not kept on the way out
        }
    }

    @Test
    void moreItemsThanTheLimitAreRefusedWholly() {
        Ndjson body = new Ndjson();
        float[] v = {1, 2, 3, 4, 5, 6, 7, 8};
        for (int i = 0; i <= 50_000; i++) {
            body.item("m" + i, "image", v, "");
        }
        body.post(tenant, "c").statusCode(413).body("detail", containsString("At most 50000 items"));
        assertEquals(0, count());
    }

    @Test
    void onlyBulkRoutesTakeBodiesBeyondTheRequestLimit() throws Exception {
        // 40 MB declared: over limits.max-request-bytes (32 MiB), under bulk.max-request-bytes (256 MiB).
        assertEquals(413, declaredLengthStatus("/collections/c/items", 40_000_000));
        assertEquals(-1, declaredLengthStatus("/collections/c/items/bulk", 40_000_000), "waits for the body");
        assertEquals(413, declaredLengthStatus("/collections/c/items/bulk", 300_000_000));
    }

    /** The status answered within 2 s to a request that declares a body of this length and sends none; -1: none. */
    private int declaredLengthStatus(String path, long length) throws Exception {
        try (Socket s = new Socket("127.0.0.1", io.restassured.RestAssured.port)) {
            s.setSoTimeout(2_000);
            s.getOutputStream().write(("POST " + path + " HTTP/1.1\r\nHost: localhost\r\nAuthorization: "
                    + dev.sightline.testsupport.TestCredential.AUTHORIZATION + "\r\nX-Sightline-Tenant: " + tenant
                    + "\r\nContent-Type: application/x-ndjson\r\nContent-Length: " + length + "\r\n\r\n")
                    .getBytes(StandardCharsets.US_ASCII));
            try {
                String status = new String(s.getInputStream().readNBytes(12), StandardCharsets.US_ASCII);
                return Integer.parseInt(status.substring(9, 12));
            } catch (java.net.SocketTimeoutException e) {
                return -1;
            }
        }
    }
}
