package dev.sightline.gateway.bench;

import dev.sightline.gateway.auth.ApiKeys;
import dev.sightline.testsupport.ServiceLaunch;
import dev.sightline.testsupport.ServiceProcess;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.UUID;

/**
 * embed-service, retrieval-service and the gateway, freshly started from their packaged jars on free ports
 * (logs in gateway/target/bench-*.log), and an API key of the benchmark's tenant. Closing stops them.
 */
final class BenchPlatform implements AutoCloseable {

    private static final Duration READY = Duration.ofSeconds(120);

    private final ServiceProcess embed;
    private final ServiceProcess retrieval;
    private final ServiceProcess gateway;
    private final String key;

    private BenchPlatform(ServiceProcess embed, ServiceProcess retrieval, ServiceProcess gateway, String key) {
        this.embed = embed;
        this.retrieval = retrieval;
        this.gateway = gateway;
        this.key = key;
    }

    /** Starts the three at once and waits until all are ready. */
    static BenchPlatform start(Settings settings) throws Exception {
        Path root = settings.root();
        Path logs = settings.logs();
        Files.createDirectories(logs);
        String key = "sk-sl-bench-" + UUID.randomUUID();
        Path keysFile = Files.createTempFile("sightline-bench-keys", ".txt");
        keysFile.toFile().deleteOnExit();
        Files.writeString(keysFile, "# gateway benchmark\n" + ApiKeys.hash(key) + " " + Settings.TENANT + "\n");

        List<ServiceProcess> started = new ArrayList<>();
        try {
            long t0 = System.nanoTime();
            ServiceProcess embed = launch(started, ServiceLaunch.module(root, "embed-service")
                    .withProperty("sightline.embed.model.dir", root.resolve("models/tiny-clip").toString())
                    .loggingTo(logs.resolve("bench-embed.log")));
            ServiceProcess retrieval = launch(started, ServiceLaunch.module(root, "retrieval-service")
                    .loggingTo(logs.resolve("bench-retrieval.log")));
            ServiceProcess gateway = launch(started, ServiceLaunch.module(root, "gateway")
                    .withProperty("sightline.gateway.embed.url", embed.url())
                    .withProperty("sightline.gateway.retrieval.url", retrieval.url())
                    .withProperty("sightline.gateway.auth.keys-file", keysFile.toString())
                    .withProperty("sightline.gateway.rate-limit.requests-per-second", "1000000000")
                    .withProperty("sightline.gateway.rate-limit.burst", "1000000000")
                    .loggingTo(logs.resolve("bench-gateway.log")));
            for (ServiceProcess service : started) {
                service.awaitReady(READY);
            }
            System.out.printf(Locale.ROOT, "services ready in %.1f s: embed :%d, retrieval :%d, gateway :%d "
                    + "(logs in gateway/target/bench-*.log)%n", (System.nanoTime() - t0) / 1e9, embed.port(),
                    retrieval.port(), gateway.port());
            return new BenchPlatform(embed, retrieval, gateway, key);
        } catch (Exception e) {
            stopAll(started);
            throw e;
        }
    }

    private static ServiceProcess launch(List<ServiceProcess> started, ServiceLaunch launch) throws Exception {
        ServiceProcess service = ServiceProcess.start(launch);
        started.add(service);
        System.out.println(launch.name() + ": " + String.join(" ", service.command()));
        return service;
    }

    String embedUrl() {
        return embed.url();
    }

    String retrievalUrl() {
        return retrieval.url();
    }

    String gatewayUrl() {
        return gateway.url();
    }

    /** The gateway's API key of {@link Settings#TENANT}. */
    String key() {
        return key;
    }

    Pids pids() {
        return new Pids(ProcessHandle.current().pid(), gateway.pid(), retrieval.pid(), embed.pid());
    }

    @Override
    public void close() {
        stopAll(List.of(embed, retrieval, gateway));
    }

    /** The gateway first, so that it never sees its backends go. */
    private static void stopAll(List<ServiceProcess> services) {
        for (int i = services.size() - 1; i >= 0; i--) {
            services.get(i).close();
        }
    }
}
