package dev.sightline.gateway.support;

import dev.sightline.gateway.auth.ApiKeys;
import dev.sightline.testsupport.DbScripts;
import dev.sightline.testsupport.ServiceLaunch;
import dev.sightline.testsupport.ServiceProcess;
import io.quarkus.test.common.QuarkusTestResourceLifecycleManager;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.time.Duration;
import java.util.Map;
import java.util.UUID;

/**
 * The real platform behind the gateway under test: embed-service (bundled model) and retrieval-service (test
 * database of the db/ scripts' PostgreSQL) started from their packaged jars, and a keys file with two tenants.
 */
public class Platform implements QuarkusTestResourceLifecycleManager {

    private static final Path ROOT = Path.of(System.getProperty("sightline.root", "..")).toAbsolutePath().normalize();
    private static final Duration READY = Duration.ofSeconds(60);

    public static final String TENANT_A = "e2e-a-" + UUID.randomUUID().toString().substring(0, 8);
    public static final String TENANT_B = "e2e-b-" + UUID.randomUUID().toString().substring(0, 8);
    public static final String KEY_A = "sk-sl-test-a-" + UUID.randomUUID();
    public static final String KEY_B = "sk-sl-test-b-" + UUID.randomUUID();

    /** embed-service is stopped and started again by the outage test, on the port the gateway was given. */
    private static ServiceLaunch embedLaunch;
    private static ServiceProcess embed;
    private static ServiceLaunch retrievalLaunch;
    private static ServiceProcess retrieval;
    private static Path keysFile;

    @Override
    public Map<String, String> start() {
        try {
            keysFile = Files.createTempFile("sightline-keys", ".txt");
            Files.writeString(keysFile, "# test keys\n" + ApiKeys.hash(KEY_A) + " " + TENANT_A + "\n"
                    + ApiKeys.hash(KEY_B) + " " + TENANT_B + "\n");
            embedLaunch = ServiceLaunch.module(ROOT, "embed-service").onPort(ServiceProcess.freePort())
                    .withProperty("sightline.embed.model.dir", ROOT.resolve("models/tiny-clip").toString())
                    .withProperty("sightline.embed.model.extra-dirs", dev.sightline.testsupport.SecondModel.dir(ROOT).toString())
                    .loggingTo(log("embed-service"));
            startEmbed();
            retrievalLaunch = ServiceLaunch.module(ROOT, "retrieval-service").onPort(ServiceProcess.freePort())
                    .withProperty("quarkus.datasource.jdbc.url", System.getenv().getOrDefault(
                            "SIGHTLINE_PG_TEST_JDBC_URL", "jdbc:postgresql://127.0.0.1:55432/sightline_test"))
                    // Migrations: embedded by the test's embed-service, at most 60 items/s so that a test can act
                    // while one runs, and taken over 3 s after a killed worker's last batch.
                    .withProperty("sightline.retrieval.migration.embed-url", embed.url())
                    .withProperty("sightline.retrieval.migration.batch-size", "8")
                    .withProperty("sightline.retrieval.migration.max-items-per-second", "60")
                    .withProperty("sightline.retrieval.migration.lease", "PT3S")
                    .withProperty("sightline.retrieval.migration.poll-interval", "PT0.2S")
                    .loggingTo(log("retrieval-service"));
            startRetrieval();
        } catch (Exception e) {
            stop();
            throw new IllegalStateException("cannot start the platform under the gateway", e);
        }
        return Map.of(
                "sightline.gateway.embed.url", embed.url(),
                "sightline.gateway.retrieval.url", retrieval.url(),
                "sightline.gateway.auth.keys-file", keysFile.toString(),
                "sightline.gateway.auth.reload-interval", "PT0.2S",
                "sightline.gateway.embed.breaker-open", "PT1S",
                "sightline.gateway.embed.timeout", "PT5S",
                "sightline.gateway.limits.body-read-timeout", "PT3S",
                "sightline.gateway.limits.bulk-body-read-timeout", "PT4S");
    }

    @Override
    public void stop() {
        stopEmbed();
        if (retrieval != null) {
            retrieval.close();
        }
    }

    /** Starts (or restarts) embed-service on its fixed port. */
    public static void startEmbed() throws IOException, InterruptedException {
        embed = ServiceProcess.start(embedLaunch);
        embed.awaitReady(READY);
    }

    /** Starts (or restarts) retrieval-service on its fixed port. */
    public static void startRetrieval() throws IOException, InterruptedException {
        retrieval = ServiceProcess.start(retrievalLaunch);
        retrieval.awaitReady(READY);
    }

    /** Kills retrieval-service with SIGKILL, as a crash would: nothing in flight is finished. */
    public static void killRetrieval() {
        retrieval.kill();
    }

    /** retrieval-service's base URL (the internal token is needed to call it). */
    public static String retrievalUrl() {
        return retrieval.url();
    }

    /** embed-service's base URL (the internal token is needed to call it). */
    public static String embedUrl() {
        return embed.url();
    }

    /** Runs a db/ script (e.g. "stop.sh", "--immediate") and waits for it; fails when it fails. */
    public static void db(String... script) throws IOException, InterruptedException {
        DbScripts.run(log("db"), script);
    }

    /** Stops embed-service, as an outage would. */
    public static void stopEmbed() {
        if (embed != null) {
            embed.close();
            embed = null;
        }
    }

    /** A tenant of its own for one test, and its key. */
    public record TenantKey(String tenant, String key) {
    }

    /**
     * A new tenant with a new key, appended to the live keys file; the gateway picks it up within its reload
     * interval ({@code Gateway.awaitKey}). Tests that leave data behind use their own tenants.
     */
    public static TenantKey newTenant(String prefix) throws IOException {
        TenantKey t = new TenantKey(prefix + "-" + UUID.randomUUID().toString().substring(0, 8),
                "sk-sl-" + prefix + "-" + UUID.randomUUID());
        addKey(t.key(), t.tenant());
        return t;
    }

    /** Appends a key for a tenant to the live keys file (the gateway must pick it up without a restart). */
    public static void addKey(String key, String tenant) throws IOException {
        Files.writeString(keysFile, ApiKeys.hash(key) + " " + tenant + "\n", StandardOpenOption.APPEND);
    }

    private static Path log(String module) {
        return ROOT.resolve("gateway/target/" + module + "-e2e.log");
    }
}
