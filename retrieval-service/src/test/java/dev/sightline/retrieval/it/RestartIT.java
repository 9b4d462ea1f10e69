package dev.sightline.retrieval.it;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.net.ServerSocket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.UUID;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/**
 * Acknowledged writes survive the service being killed (SIGKILL, no shutdown hooks) and started again.
 * Runs the packaged service (failsafe, after package) against the test database.
 */
class RestartIT {

    private static final HttpClient HTTP = HttpClient.newHttpClient();

    private static Process start(int port) throws Exception {
        Path jar = Path.of(System.getProperty("service.jar", "target/quarkus-app/quarkus-run.jar"));
        String url = System.getenv().getOrDefault("SIGHTLINE_PG_TEST_JDBC_URL",
                "jdbc:postgresql://127.0.0.1:55432/sightline_test");
        Process p = new ProcessBuilder("java", "-Dquarkus.http.port=" + port, "-Dquarkus.datasource.jdbc.url=" + url,
                "-jar", jar.toString()).redirectErrorStream(true)
                .redirectOutput(Files.createTempFile("retrieval-it", ".log").toFile()).start();
        for (int i = 0; i < 300; i++) {
            if (status(port, "GET", "/q/health/ready", null, null) == 200) {
                return p;
            }
            Thread.sleep(100);
        }
        p.destroyForcibly();
        throw new IllegalStateException("service did not become ready");
    }

    private static int status(int port, String method, String path, String tenant, String body) {
        try {
            HttpRequest.Builder b = HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + path))
                    .method(method, body == null ? HttpRequest.BodyPublishers.noBody()
                            : HttpRequest.BodyPublishers.ofString(body))
                    .header("Content-Type", "application/json");
            if (tenant != null) {
                b.header("X-Sightline-Tenant", tenant);
            }
            return HTTP.send(b.build(), HttpResponse.BodyHandlers.discarding()).statusCode();
        } catch (IOException e) {
            return -1;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return -1;
        }
    }

    private static String get(int port, String path, String tenant) throws Exception {
        return HTTP.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + path))
                .header("X-Sightline-Tenant", tenant).build(), HttpResponse.BodyHandlers.ofString()).body();
    }

    private static int freePort() throws IOException {
        try (ServerSocket s = new ServerSocket(0)) {
            return s.getLocalPort();
        }
    }

    @Test
    void acknowledgedWritesSurviveAKillAndRestart() throws Exception {
        String tenant = "it-" + UUID.randomUUID().toString().substring(0, 8);
        int port = freePort();
        Process service = start(port);
        try {
            assertEquals(201, status(port, "PUT", "/collections/durable", tenant, "{\"dimension\":2,\"model\":\"m\"}"));
            StringBuilder items = new StringBuilder("{\"items\":[");
            for (int i = 0; i < 200; i++) {
                items.append(i == 0 ? "" : ",").append("{\"id\":\"d").append(i).append("\",\"vector\":[1,")
                        .append(i).append("],\"modality\":\"image\"}");
            }
            assertEquals(200, status(port, "POST", "/collections/durable/items", tenant, items.append("]}").toString()));
        } finally {
            service.destroyForcibly(); // SIGKILL: nothing gets a chance to flush
            service.waitFor(10, TimeUnit.SECONDS);
        }
        Process again = start(port);
        try {
            String body = get(port, "/collections/durable", tenant);
            assertTrue(body.contains("\"image\":200"), body);
            assertTrue(get(port, "/collections/durable/items/d199?include=vector", tenant).contains("[1.0,199.0]"));
            assertEquals(204, status(port, "DELETE", "/collections/durable", tenant, null));
        } finally {
            again.destroy();
            again.waitFor(10, TimeUnit.SECONDS);
        }
    }
}
