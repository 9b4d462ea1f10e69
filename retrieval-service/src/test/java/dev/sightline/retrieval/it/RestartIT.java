package dev.sightline.retrieval.it;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.sightline.testsupport.ServiceLaunch;
import dev.sightline.testsupport.ServiceProcess;
import dev.sightline.testsupport.TestCredential;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.time.Duration;
import java.util.UUID;
import org.junit.jupiter.api.Test;

/**
 * Acknowledged writes survive the service being killed (SIGKILL, no shutdown hooks) and started again.
 * Runs the packaged service (failsafe, after package) against the test database.
 */
class RestartIT {

    private static final HttpClient HTTP = HttpClient.newHttpClient();

    /** The packaged service on a port of its own, against the test database; both runs log to target/. */
    private static ServiceLaunch service() throws IOException {
        return ServiceLaunch.jar("retrieval-service",
                Path.of(System.getProperty("service.jar", "target/quarkus-app/quarkus-run.jar")))
                .onPort(ServiceProcess.freePort())
                .withProperty("quarkus.datasource.jdbc.url", System.getenv().getOrDefault("SIGHTLINE_PG_TEST_JDBC_URL",
                        "jdbc:postgresql://127.0.0.1:55432/sightline_test"));
    }

    private static int status(String base, String method, String path, String tenant, String body) {
        try {
            HttpRequest.Builder b = HttpRequest.newBuilder(URI.create(base + path)).header("Authorization", TestCredential.AUTHORIZATION)
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

    private static String get(String base, String path, String tenant) throws Exception {
        return HTTP.send(HttpRequest.newBuilder(URI.create(base + path)).header("Authorization", TestCredential.AUTHORIZATION)
                .header("X-Sightline-Tenant", tenant).build(), HttpResponse.BodyHandlers.ofString()).body();
    }

    @Test
    void acknowledgedWritesSurviveAKillAndRestart() throws Exception {
        String tenant = "it-" + UUID.randomUUID().toString().substring(0, 8);
        ServiceLaunch launch = service();
        try (ServiceProcess first = ServiceProcess.start(launch.loggingTo(Path.of("target/restart-it-first.log")))) {
            String base = first.awaitReady(Duration.ofSeconds(60)).url();
            assertEquals(201, status(base, "PUT", "/collections/durable", tenant, "{\"dimension\":2,\"model\":\"m\"}"));
            StringBuilder items = new StringBuilder("{\"items\":[");
            for (int i = 0; i < 200; i++) {
                items.append(i == 0 ? "" : ",").append("{\"id\":\"d").append(i).append("\",\"vector\":[1,")
                        .append(i).append("],\"modality\":\"image\"}");
            }
            assertEquals(200, status(base, "POST", "/collections/durable/items", tenant, items.append("]}").toString()));
            assertEquals(137, first.kill()); // SIGKILL: nothing gets a chance to flush
        }
        try (ServiceProcess again = ServiceProcess.start(launch.loggingTo(Path.of("target/restart-it-again.log")))) {
            String base = again.awaitReady(Duration.ofSeconds(60)).url();
            String body = get(base, "/collections/durable", tenant);
            assertTrue(body.contains("\"image\":200"), body);
            assertTrue(get(base, "/collections/durable/items/d199?include=vector", tenant).contains("[1.0,199.0]"));
            assertEquals(204, status(base, "DELETE", "/collections/durable", tenant, null));
        }
    }
}
