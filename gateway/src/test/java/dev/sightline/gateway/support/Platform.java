package dev.sightline.gateway.support;

import dev.sightline.gateway.auth.ApiKeys;
import io.quarkus.test.common.QuarkusTestResourceLifecycleManager;
import java.io.IOException;
import java.net.ServerSocket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.TimeUnit;

/**
 * The real platform behind the gateway under test: embed-service (bundled model) and retrieval-service (test
 * database of the db/ scripts' PostgreSQL) started from their packaged jars, and a keys file with two tenants.
 */
public class Platform implements QuarkusTestResourceLifecycleManager {

    private static final HttpClient HTTP = HttpClient.newHttpClient();
    private static final Path ROOT = Path.of(System.getProperty("sightline.root", "..")).toAbsolutePath().normalize();

    public static final String TENANT_A = "e2e-a-" + UUID.randomUUID().toString().substring(0, 8);
    public static final String TENANT_B = "e2e-b-" + UUID.randomUUID().toString().substring(0, 8);
    public static final String KEY_A = "sk-sl-test-a-" + UUID.randomUUID();
    public static final String KEY_B = "sk-sl-test-b-" + UUID.randomUUID();

    private static Process embed;
    private static Process retrieval;
    private static int embedPort;
    private static int retrievalPort;
    private static Path keysFile;

    @Override
    public Map<String, String> start() {
        try {
            embedPort = freePort();
            retrievalPort = freePort();
            keysFile = Files.createTempFile("sightline-keys", ".txt");
            Files.writeString(keysFile, "# test keys\n" + ApiKeys.hash(KEY_A) + " " + TENANT_A + "\n"
                    + ApiKeys.hash(KEY_B) + " " + TENANT_B + "\n");
            startEmbed();
            retrieval = launch("retrieval-service", retrievalPort, List.of("-Dquarkus.datasource.jdbc.url="
                    + System.getenv().getOrDefault("SIGHTLINE_PG_TEST_JDBC_URL",
                            "jdbc:postgresql://127.0.0.1:55432/sightline_test")));
            awaitReady(retrievalPort, retrieval);
        } catch (Exception e) {
            stop();
            throw new IllegalStateException("cannot start the platform under the gateway", e);
        }
        return Map.of(
                "sightline.gateway.embed.url", "http://127.0.0.1:" + embedPort,
                "sightline.gateway.retrieval.url", "http://127.0.0.1:" + retrievalPort,
                "sightline.gateway.auth.keys-file", keysFile.toString(),
                "sightline.gateway.auth.reload-interval", "PT0.2S",
                "sightline.gateway.embed.breaker-open", "PT1S",
                "sightline.gateway.embed.timeout", "PT5S");
    }

    @Override
    public void stop() {
        stopEmbed();
        if (retrieval != null) {
            retrieval.destroy();
            await(retrieval);
        }
    }

    /** Starts (or restarts) embed-service on its fixed port. */
    public static void startEmbed() throws Exception {
        embed = launch("embed-service", embedPort,
                List.of("-Dsightline.embed.model.dir=" + ROOT.resolve("models/tiny-clip")));
        awaitReady(embedPort, embed);
    }

    /** Stops embed-service, as an outage would. */
    public static void stopEmbed() {
        if (embed != null) {
            embed.destroy();
            await(embed);
            embed = null;
        }
    }

    /** Appends a key for a tenant to the live keys file (the gateway must pick it up without a restart). */
    public static void addKey(String key, String tenant) throws IOException {
        Files.writeString(keysFile, ApiKeys.hash(key) + " " + tenant + "\n", StandardOpenOption.APPEND);
    }

    private static Process launch(String module, int port, List<String> props) throws IOException {
        Path jar = ROOT.resolve(module).resolve("target/quarkus-app/quarkus-run.jar");
        if (!Files.isRegularFile(jar)) {
            throw new IllegalStateException(jar + " is missing: build the reactor (./sightline test does)");
        }
        List<String> cmd = new java.util.ArrayList<>(List.of("java", "-Dquarkus.http.port=" + port));
        cmd.addAll(props);
        cmd.addAll(List.of("-jar", jar.toString()));
        Path log = ROOT.resolve("gateway/target/" + module + "-e2e.log");
        return new ProcessBuilder(cmd).redirectErrorStream(true).redirectOutput(log.toFile()).start();
    }

    private static void awaitReady(int port, Process p) throws Exception {
        for (int i = 0; i < 600; i++) {
            if (!p.isAlive()) {
                throw new IllegalStateException("service on port " + port + " exited; see gateway/target/*-e2e.log");
            }
            try {
                int status = HTTP.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + "/q/health/ready"))
                        .build(), HttpResponse.BodyHandlers.discarding()).statusCode();
                if (status == 200) {
                    return;
                }
            } catch (IOException e) {
                // not listening yet
            }
            Thread.sleep(50);
        }
        throw new IllegalStateException("service on port " + port + " never became ready");
    }

    private static void await(Process p) {
        try {
            if (!p.waitFor(15, TimeUnit.SECONDS)) {
                p.destroyForcibly();
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    private static int freePort() throws IOException {
        try (ServerSocket s = new ServerSocket(0)) {
            return s.getLocalPort();
        }
    }
}
