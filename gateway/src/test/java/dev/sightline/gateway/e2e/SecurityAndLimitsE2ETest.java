package dev.sightline.gateway.e2e;

import static dev.sightline.gateway.support.Gateway.anonymous;
import static dev.sightline.gateway.support.Gateway.as;
import static dev.sightline.gateway.support.Gateway.base64;
import static dev.sightline.gateway.support.Gateway.invalid;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.not;
import static org.hamcrest.Matchers.containsString;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.sightline.gateway.support.Platform;
import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.common.http.TestHTTPResource;
import io.quarkus.test.junit.QuarkusTest;
import java.io.OutputStream;
import java.net.Socket;
import java.net.URL;
import java.nio.charset.StandardCharsets;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.junit.jupiter.api.Test;

/** Keys, tenants and input limits at the gateway; answers are problem+json and reveal no internals. */
@QuarkusTest
@QuarkusTestResource(Platform.class)
class SecurityAndLimitsE2ETest {

    private static final String PROBLEMS = "https://sightline.dev/problems/";

    @TestHTTPResource("/")
    URL base;

    @Test
    void refusesMissingMalformedAndUnknownKeys() {
        invalid(null).get("/v1/models").then().statusCode(401).contentType("application/problem+json")
                .header("WWW-Authenticate", "Bearer");
        invalid(null).header("Authorization", "Basic abc").get("/v1/models").then().statusCode(401);
        anonymous().header("Authorization", "Bearer sk-sl-unknown").get("/v1/models").then().statusCode(401)
                .body("detail", equalTo("Unknown API key."));
        // The newer routes too: the classifier list and kept media.
        invalid(null).get("/v1/classifiers").then().statusCode(401).contentType("application/problem+json");
        invalid(null).get("/v1/collections/demo/items/a/thumbnail").then().statusCode(401);
        // And moderation and duplicates (issue 16).
        invalid(null).get("/v1/moderation/policies").then().statusCode(401).contentType("application/problem+json");
        invalid(null).body(Map.of("policy", "p", "text", "x")).post("/v1/moderate").then().statusCode(401);
        invalid(null).body(Map.of()).post("/v1/moderation/policies/p/calibrate").then().statusCode(401);
        invalid(null).body(Map.of()).post("/v1/collections/demo/duplicates").then().statusCode(401);
    }

    @Test
    void picksUpNewKeysWithoutARestart() throws Exception {
        String key = "sk-sl-late-" + UUID.randomUUID();
        as(key).get("/v1/collections").then().statusCode(401);
        Platform.addKey(key, "late-tenant");
        int status = 0;
        for (int i = 0; i < 50 && status != 200; i++) {
            Thread.sleep(100);
            status = as(key).get("/v1/collections").then().extract().statusCode();
        }
        assertTrue(status == 200, "the new key was not accepted within 5 s");
    }

    @Test
    void refusesBadBodiesWithProblems() {
        invalid(Platform.KEY_A).body("{\"model\": ").post("/v1/embeddings").then().statusCode(400)
                .contentType("application/problem+json").body("type", equalTo(PROBLEMS + "invalid-json"));
        invalid(Platform.KEY_A).body(Map.of("model", "sightline/tiny-clip", "input", List.of())).post("/v1/embeddings").then()
                .statusCode(400);
        invalid(Platform.KEY_A).body(Map.of("model", "sightline/tiny-clip", "input", List.of(1, 2, 3)))
                .post("/v1/embeddings").then().statusCode(400).body("detail", containsString("token arrays"));
        as(Platform.KEY_A).body(Map.of("model", "no-such-model", "input", "x")).post("/v1/embeddings").then()
                .statusCode(404);
        as(Platform.KEY_A).body(Map.of("model", "sightline/tiny-clip", "input", "x", "dimensions", 64))
                .post("/v1/embeddings").then().statusCode(400);
        invalid(Platform.KEY_A).body(Map.of("name", "Bad Name")).post("/v1/collections").then().statusCode(400);
        invalid(Platform.KEY_A).body(Map.of("name", "ok", "surprise", 1)).post("/v1/collections").then().statusCode(400)
                .body("type", equalTo(PROBLEMS + "invalid-request")).body("detail", equalTo("Unknown field 'surprise'."));
        invalid(Platform.KEY_A).body(Map.of("image", "not base64 at all!", "labels", List.of("a", "b")))
                .post("/v1/classify").then().statusCode(400).contentType("application/problem+json");
        byte[] truncated = java.util.Arrays.copyOf(dev.sightline.gateway.support.Gateway.fixture("wide.png"), 300);
        as(Platform.KEY_A).body(Map.of("image", java.util.Base64.getEncoder().encodeToString(truncated),
                "labels", List.of("a", "b"))).post("/v1/classify").then().statusCode(422);
        invalid(Platform.KEY_A).body(Map.of("image", base64("wide.png"), "labels", List.of("only one")))
                .post("/v1/classify").then().statusCode(400);
    }

    @Test
    void enforcesCountLimits() {
        invalid(Platform.KEY_A).body(Map.of("model", "sightline/tiny-clip", "input", Collections.nCopies(257, "x")))
                .post("/v1/embeddings").then().statusCode(413).body("type", equalTo(PROBLEMS + "payload-too-large"))
                .body("detail", equalTo("At most 256 inputs per request; got 257."));
        String img = "data:image/png;base64," + base64("tiny.png");
        invalid(Platform.KEY_A).body(Map.of("model", "sightline/tiny-clip", "input",
                Collections.nCopies(65, Map.of("type", "image_url", "image_url", Map.of("url", img)))))
                .post("/v1/embeddings").then().statusCode(413).body("type", equalTo(PROBLEMS + "payload-too-large"))
                .body("detail", equalTo("At most 64 images per request; got 65."));
        // embed-service's own limit (labels per classification) answers with the same one type for the meaning.
        invalid(Platform.KEY_A).body(Map.of("image", base64("wide.png"), "labels",
                java.util.stream.IntStream.range(0, 1001).mapToObj(i -> "label " + i).toList()))
                .post("/v1/classify").then().statusCode(413).body("type", equalTo(PROBLEMS + "payload-too-large"));
    }

    @Test
    void refusesADeclaredOversizedBodyBeforeReadingIt() throws Exception {
        try (Socket s = new Socket(base.getHost(), base.getPort())) {
            s.setSoTimeout(10_000);
            OutputStream out = s.getOutputStream();
            out.write(("POST /v1/embeddings HTTP/1.1\r\nHost: localhost\r\nAuthorization: Bearer " + Platform.KEY_A
                    + "\r\nContent-Type: application/json\r\nContent-Length: 40000000\r\n\r\n{").getBytes(StandardCharsets.US_ASCII));
            out.flush();
            String response = new String(s.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
            assertTrue(response.startsWith("HTTP/1.1 413"), response);
            assertTrue(response.contains("application/problem+json"), response);
            assertTrue(response.contains("\"type\":\"" + PROBLEMS + "payload-too-large\""), response);
        }
    }

    @Test
    void anUnauthenticatedUploadIsRefusedBeforeItsBodyIsRead() throws Exception {
        for (String auth : new String[] {"", "Authorization: Bearer sk-sl-not-a-key\r\n"}) {
            try (Socket s = new Socket(base.getHost(), base.getPort())) {
                s.setSoTimeout(10_000);
                OutputStream out = s.getOutputStream();
                // 30 MB declared (under the 32 MiB body limit), only the headers and a first part sent.
                out.write(("POST /v1/collections/anything/items HTTP/1.1\r\nHost: localhost\r\n" + auth
                        + "Content-Type: multipart/form-data; boundary=b\r\nContent-Length: 31457280\r\n\r\n"
                        + "--b\r\nContent-Disposition: form-data; name=\"file\"; filename=\"big.png\"\r\n\r\n")
                        .getBytes(StandardCharsets.US_ASCII));
                out.flush();
                // Answered without waiting for the other 30 MB, and the connection closed (readAllBytes returns).
                String response = new String(s.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
                assertTrue(response.startsWith("HTTP/1.1 401"), response);
                assertTrue(response.contains("\"type\":\"" + PROBLEMS + "unauthorized\""), response);
            }
        }
    }

    @Test
    void unknownPathsAreProblemsToo() {
        invalid(Platform.KEY_A).get("/v1/nothing-here").then().statusCode(404).contentType("application/problem+json")
                .body("detail", not(containsString("Exception")));
    }
}
