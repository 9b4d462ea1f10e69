package dev.sightline.retrieval.bench;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.sightline.retrieval.Precision;
import dev.sightline.testsupport.ServiceLaunch;
import dev.sightline.testsupport.ServiceProcess;
import dev.sightline.testsupport.TestCredential;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Comparator;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicBoolean;

/**
 * retrieval-service under measurement, started from a private copy of its packaged app on a free port, and the
 * benchmark's collection in it. {@link #cleanup} deletes the collection and stops the service, once, also on
 * failure or ^C.
 */
final class BenchService {

    static final HttpClient HTTP = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1)
            .connectTimeout(Duration.ofSeconds(10)).build();
    private static final Duration READY = Duration.ofSeconds(120);
    private static final ObjectMapper JSON = new ObjectMapper();

    private final BenchDatabase db;
    private final Path appCopy;
    private final AtomicBoolean cleaned = new AtomicBoolean();
    private volatile ServiceProcess process;
    private final List<String> collections = new CopyOnWriteArrayList<>();

    private final String hnsw;

    private BenchService(BenchDatabase db, Path appCopy, String hnsw) {
        this.db = db;
        this.appCopy = appCopy;
        this.hnsw = hnsw;
    }

    static BenchService start(Settings settings, BenchDatabase db) throws Exception {
        Path jar = settings.jar();
        if (!Files.isRegularFile(jar)) {
            throw new IllegalStateException(jar + " not found; build with ./mvnw -pl retrieval-service -am install");
        }
        // Run a private copy of the fast-jar tree (it is relocatable), so that a rebuild of target/quarkus-app while
        // the benchmark runs (other builds in the same checkout) cannot pull class files from under the service.
        Path src = jar.toAbsolutePath().getParent();
        BenchService service = new BenchService(db, copy(src), settings.hnswJson());
        Runtime.getRuntime().addShutdownHook(new Thread(service::cleanup, "bench-cleanup"));
        try {
            Path log = Path.of("target", "bench-service.log");
            long t0 = System.nanoTime();
            service.process = ServiceProcess.start(ServiceLaunch.jar("retrieval-service",
                    service.appCopy.resolve(jar.getFileName().toString())).withJvmOptions(settings.serviceOptions())
                    .loggingTo(log));
            System.out.println("\nservice: " + String.join(" ", service.process.command()) + "  (a copy of " + src
                    + "; log: " + log + ")");
            service.process.awaitReady(READY);
            System.out.printf("service ready on port %d in %.1f s%n", service.process.port(), Stopwatch.secondsSince(t0));
            return service;
        } catch (Exception e) {
            service.cleanup();
            throw e;
        }
    }

    /** Creates a collection of the given precision for one run; its name. */
    String createCollection(String dataset, Precision precision) throws IOException, InterruptedException {
        String name = "bench-" + dataset + "-" + precision.wire() + "-" + Long.toString(System.currentTimeMillis(), 36);
        collections.add(name);
        int created = send("PUT", "/collections/" + name, "{\"dimension\":" + Settings.DIM
                + ",\"model\":\"bench\",\"precision\":\"" + precision.wire() + "\"" + hnsw + "}");
        if (created != 201) {
            throw new IllegalStateException("PUT collection returned " + created);
        }
        System.out.printf("created collection %s/%s%n", Settings.TENANT, name);
        return name;
    }

    /** The collection's {@code index} object ({@code state}, {@code progress}) from {@code GET /collections/{name}}. */
    JsonNode index(String name) throws IOException, InterruptedException {
        HttpResponse<String> r = HTTP.send(request("/collections/" + name).GET().build(),
                HttpResponse.BodyHandlers.ofString());
        if (r.statusCode() != 200) {
            throw new IllegalStateException("GET collection returned " + r.statusCode() + ": " + r.body());
        }
        return JSON.readTree(r.body()).get("index");
    }

    /** Deletes a run's collection (its partition is dropped by the service in the background). */
    void deleteCollection(String name) throws IOException, InterruptedException {
        int s = send("DELETE", "/collections/" + name, null);
        System.out.printf("deleted collection %s/%s (HTTP %d)%n", Settings.TENANT, name, s);
        collections.remove(name);
    }

    String base() {
        return process.url();
    }

    /** A request of the benchmark's tenant, with a JSON body. */
    HttpRequest.Builder request(String path) {
        return HttpRequest.newBuilder(URI.create(base() + path)).header("Authorization", TestCredential.AUTHORIZATION).header("X-Sightline-Tenant", Settings.TENANT)
                .header("Content-Type", "application/json").timeout(Duration.ofMinutes(5));
    }

    /** The status; an error answer is printed. */
    int send(String method, String path, String body) throws IOException, InterruptedException {
        HttpRequest.BodyPublisher p = body == null ? HttpRequest.BodyPublishers.noBody()
                : HttpRequest.BodyPublishers.ofString(body);
        HttpResponse<String> r = HTTP.send(request(path).method(method, p).build(), HttpResponse.BodyHandlers.ofString());
        if (r.statusCode() >= 300) {
            System.out.printf("  %s %s -> %d %s%n", method, path, r.statusCode(), r.body());
        }
        return r.statusCode();
    }

    /** The service's Prometheus lines of these metrics, joined. */
    String metricLines(String... names) {
        try {
            HttpResponse<String> r = HTTP.send(HttpRequest.newBuilder(URI.create(base() + "/q/metrics"))
                    .timeout(Duration.ofSeconds(30)).GET().build(), HttpResponse.BodyHandlers.ofString());
            return String.join("; ", r.body().lines().filter(l -> !l.startsWith("#"))
                    .filter(l -> java.util.Arrays.stream(names).anyMatch(l::startsWith)).toList());
        } catch (Exception e) {
            return "n/a (" + e + ")";
        }
    }

    /** Sum of seconds and count of successful searches from the service's http_server_requests_seconds metric. */
    double[] searchTotals() {
        double[] t = {0, 0};
        try {
            HttpResponse<String> r = HTTP.send(HttpRequest.newBuilder(URI.create(base() + "/q/metrics"))
                    .timeout(Duration.ofSeconds(30)).GET().build(), HttpResponse.BodyHandlers.ofString());
            for (String line : r.body().split("\n")) {
                if (line.startsWith("http_server_requests_seconds_") && line.contains("method=\"POST\"")
                        && line.contains("status=\"200\"") && line.contains("uri=\"/collections/{name}/search\"")) {
                    double v = Double.parseDouble(line.substring(line.lastIndexOf(' ') + 1));
                    if (line.startsWith("http_server_requests_seconds_sum")) {
                        t[0] += v;
                    } else if (line.startsWith("http_server_requests_seconds_count")) {
                        t[1] += v;
                    }
                }
            }
        } catch (IOException | InterruptedException | RuntimeException e) {
            t[1] = Double.NaN;
        }
        return t;
    }

    /** Deletes the collection (over HTTP, else directly) and stops the service; runs once. */
    void cleanup() {
        if (!cleaned.compareAndSet(false, true)) {
            return;
        }
        ServiceProcess p = process;
        for (String name : collections) {
            boolean deleted = false;
            if (p != null && p.isAlive()) {
                try {
                    int s = send("DELETE", "/collections/" + name, null);
                    deleted = s == 204 || s == 404;
                    System.out.printf("%ndeleted collection %s/%s (HTTP %d)%n", Settings.TENANT, name, s);
                } catch (Exception e) {
                    System.out.println("DELETE over HTTP failed: " + e);
                }
            }
            if (!deleted) {
                db.deleteCollection(name);
            }
        }
        if (p != null) {
            p.close();
        }
        try (var files = Files.walk(appCopy)) {
            files.sorted(Comparator.reverseOrder()).forEach(f -> f.toFile().delete());
        } catch (IOException e) {
            System.out.println("could not delete " + appCopy + ": " + e);
        }
    }

    private static Path copy(Path src) throws IOException {
        Path copy = Files.createTempDirectory("sightline-bench-app-");
        try (var files = Files.walk(src)) {
            for (Path from : (Iterable<Path>) files::iterator) {
                Path to = copy.resolve(src.relativize(from).toString());
                if (Files.isDirectory(from)) {
                    Files.createDirectories(to);
                } else {
                    Files.copy(from, to);
                }
            }
        }
        return copy;
    }
}
