package dev.sightline.retrieval.api;

import static dev.sightline.retrieval.support.Tenants.as;
import static dev.sightline.retrieval.support.Tenants.item;
import static org.hamcrest.Matchers.contains;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.sightline.retrieval.support.Tenants;
import dev.sightline.testsupport.TestCredential;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.RestAssured;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.Socket;
import java.net.SocketException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * Search bodies are read on the event loop (SearchBodies) before the resource method: with and without a declared
 * length, within the request limit (32 MiB here) and past it, and never before the caller is authenticated.
 */
@QuarkusTest
class SearchBodiesTest {

    private static final Pattern CONTENT_LENGTH = Pattern.compile("(?i)content-length: *(\\d+)");

    private String tenant;

    @BeforeEach
    void collection() {
        tenant = Tenants.fresh();
        Tenants.collection(tenant, "c", 3);
        Tenants.upsert(tenant, "c", List.of(item("x", new float[] {1, 0, 0}, "image"),
                item("xy", new float[] {1, 1, 0}, "image"), item("z", new float[] {0, 0, 1}, "image")));
    }

    @Test
    void aSearchSentInChunksIsAnsweredLikeOneWithALength() throws IOException {
        byte[] body = "{\"vector\": [1, 0.1, 0], \"top_k\": 3}".getBytes(StandardCharsets.UTF_8);
        String answer = chunked(TestCredential.AUTHORIZATION, List.of(slice(body, 0, 10), slice(body, 10, body.length)));
        assertTrue(answer.startsWith("HTTP/1.1 200"), answer);
        assertTrue(answer.contains("\"id\":\"x\"") && answer.indexOf("\"id\":\"x\"") < answer.indexOf("\"id\":\"xy\"")
                && answer.indexOf("\"id\":\"xy\"") < answer.indexOf("\"id\":\"z\""), answer);
        as(tenant).body(Map.of("vector", new float[] {1, 0.1f, 0}, "top_k", 3)).post("/collections/c/search").then()
                .statusCode(200).body("results.id", contains("x", "xy", "z"));
    }

    @Test
    void aSearchWithoutALengthPastTheLimitIsRefusedWith413AndOthersGoOn() throws IOException {
        String bystander = Tenants.fresh();
        Tenants.collection(bystander, "b", 3);
        Tenants.upsert(bystander, "b", List.of(item("b1", new float[] {1, 0, 0}, "image")));
        byte[] mib = new byte[1 << 20];
        Arrays.fill(mib, (byte) ' ');
        List<byte[]> chunks = new ArrayList<>();
        chunks.add("{\"vector\": [1, 0, 0], \"pad\": \"".getBytes(StandardCharsets.UTF_8));
        for (int i = 0; i < 33; i++) {
            chunks.add(mib);
        }
        String answer = chunked(TestCredential.AUTHORIZATION, chunks);
        assertTrue(answer.startsWith("HTTP/1.1 413"), answer);
        assertTrue(answer.contains("application/problem+json") && answer.contains("payload-too-large"), answer);
        as(bystander).body(Map.of("vector", new float[] {1, 0, 0})).post("/collections/b/search").then()
                .statusCode(200).body("results.id", contains("b1"));
    }

    @Test
    void aSearchWithoutTheInternalTokenIsRefusedBeforeItsBodyIsRead() throws IOException {
        // Headers only, the body never sent: the 401 cannot have waited for it.
        try (Socket s = new Socket("127.0.0.1", RestAssured.port)) {
            s.setSoTimeout(5_000);
            s.getOutputStream().write(head("Bearer not-the-token").getBytes(StandardCharsets.US_ASCII));
            String status = new String(s.getInputStream().readNBytes(12), StandardCharsets.US_ASCII);
            assertEquals("HTTP/1.1 401", status);
        }
    }

    private String head(String authorization) {
        return "POST /collections/c/search HTTP/1.1\r\nHost: localhost\r\nAuthorization: " + authorization
                + "\r\nX-Sightline-Tenant: " + tenant
                + "\r\nContent-Type: application/json\r\nTransfer-Encoding: chunked\r\n\r\n";
    }

    /** Sends the body in these chunks and returns the whole answer (the server may close before the last). */
    private String chunked(String authorization, List<byte[]> chunks) throws IOException {
        try (Socket s = new Socket("127.0.0.1", RestAssured.port)) {
            s.setSoTimeout(20_000);
            OutputStream out = s.getOutputStream();
            try {
                out.write(head(authorization).getBytes(StandardCharsets.US_ASCII));
                for (byte[] c : chunks) {
                    out.write((Integer.toHexString(c.length) + "\r\n").getBytes(StandardCharsets.US_ASCII));
                    out.write(c);
                    out.write("\r\n".getBytes(StandardCharsets.US_ASCII));
                }
                out.write("0\r\n\r\n".getBytes(StandardCharsets.US_ASCII));
                out.flush();
            } catch (SocketException closedEarly) {
                // the 413 came first and the connection was closed: read it below
            }
            return readAnswer(s.getInputStream());
        }
    }

    /** The answer up to its body's end (Content-Length) or the connection's close. */
    private static String readAnswer(InputStream in) throws IOException {
        StringBuilder text = new StringBuilder();
        byte[] buf = new byte[8192];
        int n;
        while ((n = in.read(buf)) > 0) {
            text.append(new String(buf, 0, n, StandardCharsets.UTF_8));
            int end = text.indexOf("\r\n\r\n");
            if (end >= 0) {
                Matcher m = CONTENT_LENGTH.matcher(text.substring(0, end));
                if (m.find() && text.length() - end - 4 >= Integer.parseInt(m.group(1))) {
                    break;
                }
            }
        }
        return text.toString();
    }

    private static byte[] slice(byte[] b, int from, int to) {
        return Arrays.copyOfRange(b, from, to);
    }
}
