package dev.sightline.retrieval.bench;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.sightline.retrieval.Collection;
import dev.sightline.retrieval.SearchQuery;
import dev.sightline.retrieval.store.Partitions;
import dev.sightline.retrieval.store.PgVectors;
import dev.sightline.retrieval.store.SearchSql;
import java.io.IOException;
import java.net.ServerSocket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.SQLWarning;
import java.sql.Statement;
import java.time.Duration;
import java.time.OffsetDateTime;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.List;
import java.util.Locale;
import java.util.Random;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.stream.IntStream;

/**
 * retrieval-service benchmark (a command, not a test): bulk load, HNSW index rebuild, and top-10 search over HTTP
 * at several ef_search values and concurrencies (QPS, p50, p99, recall@10 against brute-force ground truth),
 * against the same SQL issued directly over JDBC in the same run.
 *
 * <p>usage: RetrievalBenchmark JAR [vectors (100000)] [seconds-per-point (10)]
 *
 * <p>System properties: {@code bench.seed} (42), {@code bench.clusters} (1000), {@code bench.spread} (0.75: the
 * expected norm of a point's gaussian offset from its unit-length cluster centre, before normalising),
 * {@code bench.service.opts} (extra JVM options for the service, space-separated, e.g. for a profiler).
 * The database is {@code SIGHTLINE_PG_JDBC_URL} / {@code SIGHTLINE_PG_USER} / {@code SIGHTLINE_PG_PASSWORD}
 * (default the db/start.sh cluster); the service inherits the same environment.
 */
public final class RetrievalBenchmark {

    private static final String TENANT = "bench";
    private static final int DIM = 512;
    private static final int TOP_K = 10;
    private static final int QUERIES = 200;
    private static final int BATCH = 1000;
    private static final int UPLOADERS = 4;
    private static final int[] EFS = {10, 20, 40, 80, 160};
    private static final int HIGH_CONCURRENCY = 16;
    /** The service's defaults for sightline.retrieval.search.iterative-scan / max-scan-tuples (RetrievalConfig). */
    private static final String ITERATIVE_SCAN = "relaxed_order";
    private static final int MAX_SCAN_TUPLES = 20000;
    private static final String SET_CONFIG = "SELECT set_config('hnsw.ef_search', ?, true),"
            + " set_config('hnsw.iterative_scan', ?, true), set_config('hnsw.max_scan_tuples', ?, true)";
    /** CollectionStore.lockForUse, which the service runs first in every search transaction. */
    private static final String LOCK_FOR_USE = "SELECT id, tenant, name, dimension, metric, model, hnsw_m,"
            + " hnsw_ef_construction, created_at FROM collections WHERE tenant = ? AND name = ? FOR SHARE";

    private static final ObjectMapper JSON = new ObjectMapper();
    private static final HttpClient HTTP = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1)
            .connectTimeout(Duration.ofSeconds(10)).build();

    private static final String JDBC_URL = env("SIGHTLINE_PG_JDBC_URL", "jdbc:postgresql://127.0.0.1:55432/sightline");
    private static final String PG_USER = env("SIGHTLINE_PG_USER", "sightline");
    private static final String PG_PASSWORD = env("SIGHTLINE_PG_PASSWORD", "sightline");

    private static final AtomicBoolean CLEANED = new AtomicBoolean();
    private static volatile Process service;
    private static volatile String base;
    private static volatile String collection;
    private static volatile Path appCopy;

    private RetrievalBenchmark() {
    }

    public static void main(String[] args) throws Exception {
        Locale.setDefault(Locale.ROOT);
        if (args.length < 1) {
            System.err.println("usage: RetrievalBenchmark JAR [vectors] [seconds-per-point]");
            System.exit(2);
        }
        Path jar = Path.of(args[0]);
        int n = args.length > 1 ? Integer.parseInt(args[1]) : 100_000;
        double seconds = args.length > 2 ? Double.parseDouble(args[2]) : 10;
        long seed = Long.getLong("bench.seed", 42);
        int clusters = Integer.getInteger("bench.clusters", 1000);
        double spread = Double.parseDouble(System.getProperty("bench.spread", "0.75"));
        Runtime.getRuntime().addShutdownHook(new Thread(RetrievalBenchmark::cleanup, "bench-cleanup"));
        try {
            run(jar, n, seconds, seed, clusters, spread);
        } finally {
            cleanup();
        }
    }

    private static void run(Path jar, int n, double seconds, long seed, int clusters, double spread) throws Exception {
        int cores = Runtime.getRuntime().availableProcessors();
        System.out.printf("retrieval-service benchmark: %d cores, java %s, %d vectors x %d dims, %d queries, "
                + "%.0f s per point%n", cores, Runtime.version(), n, DIM, QUERIES, seconds);
        System.out.printf("load average before: %s (other work on the machine skews every number below)%n", loadavg());
        System.out.printf("database: %s as %s%n", JDBC_URL, PG_USER);
        try (Connection c = connect(); Statement st = c.createStatement()) {
            System.out.println("  " + one(st, "SELECT version()"));
            System.out.printf("  pgvector %s, shared_buffers %s, max_parallel_maintenance_workers %s, "
                    + "synchronous_commit %s%n", one(st, "SELECT extversion FROM pg_extension WHERE extname = 'vector'"),
                    one(st, "SHOW shared_buffers"), one(st, "SHOW max_parallel_maintenance_workers"),
                    one(st, "SHOW synchronous_commit"));
        }

        // 1. Data: clustered unit vectors and held-out queries drawn the same way, then exact top-10 by brute force.
        long t0 = System.nanoTime();
        Random rnd = new Random(seed);
        float[][] centres = new float[clusters][];
        for (int i = 0; i < clusters; i++) {
            centres[i] = gaussian(rnd, 1.0);
            normalise(centres[i]);
        }
        double sigma = spread / Math.sqrt(DIM);
        float[][] data = new float[n][];
        for (int i = 0; i < n; i++) {
            data[i] = point(rnd, centres, sigma);
        }
        Random qrnd = new Random(seed ^ 0x5DEECE66DL);
        float[][] queries = new float[QUERIES][];
        for (int i = 0; i < QUERIES; i++) {
            queries[i] = point(qrnd, centres, sigma);
        }
        System.out.printf("%ngenerated %d points in %d gaussian clusters (centres on the unit sphere, offset norm ~%.2f,"
                + " normalised) + %d held-out queries in %.1f s%n", n, clusters, spread, QUERIES, secs(t0));
        t0 = System.nanoTime();
        int[][] truth = groundTruth(data, queries);
        System.out.printf("exact top-%d of every query by brute force in %.1f s%n", TOP_K, secs(t0));
        describe(data, queries, truth);

        // 2. The service.
        startService(jar);
        collection = "bench-" + Long.toString(System.currentTimeMillis(), 36);
        int created = send("PUT", "/collections/" + collection, "{\"dimension\":" + DIM + ",\"model\":\"bench\"}");
        if (created != 201) {
            throw new IllegalStateException("PUT collection returned " + created);
        }
        System.out.printf("created collection %s/%s%n", TENANT, collection);

        // 3. Bulk load over HTTP, the HNSW index maintained throughout (it exists from creation).
        double loadSeconds = load(data);
        System.out.printf("bulk load: %d vectors in %.1f s = %.0f vectors/s (%d uploaders, batches of %d, HNSW index "
                + "maintained during the load)%n", n, loadSeconds, n / loadSeconds, UPLOADERS, BATCH);

        Collection col;
        double vacuumSeconds;
        double reindexSeconds;
        try (Connection c = connect()) {
            col = collectionRow(c, collection);
            String table = Partitions.table(col.id());
            String index = Partitions.index(col.id());
            try (Statement st = c.createStatement()) {
                long rows = Long.parseLong(one(st, "SELECT count(*) FROM items WHERE collection_id = " + col.id()));
                if (rows != n) {
                    throw new IllegalStateException("collection has " + rows + " items, expected " + n);
                }
                // Vacuum now (visibility map, statistics) so that autovacuum does not start during the measurements.
                long v0 = System.nanoTime();
                st.execute("VACUUM (ANALYZE) " + table);
                vacuumSeconds = secs(v0);
                System.out.printf("VACUUM (ANALYZE) %s: %.1f s%n", table, vacuumSeconds);

                // 4. Index build: a full rebuild of the HNSW index of the loaded partition.
                st.execute("SET maintenance_work_mem = '512MB'");
                long r0 = System.nanoTime();
                st.execute("REINDEX INDEX " + index);
                reindexSeconds = secs(r0);
                for (SQLWarning w = st.getWarnings(); w != null; w = w.getNextWarning()) {
                    System.out.println("  server notice: " + w.getMessage());
                }
                System.out.printf("index build: REINDEX INDEX %s (full rebuild, m=%d, ef_construction=%d, "
                        + "maintenance_work_mem=512MB, max_parallel_maintenance_workers=%s) in %.1f s; index %s, "
                        + "partition with indexes %s%n", index, col.hnswM(), col.hnswEfConstruction(),
                        one(st, "SHOW max_parallel_maintenance_workers"), reindexSeconds,
                        one(st, "SELECT pg_size_pretty(pg_relation_size('" + index + "'))"),
                        one(st, "SELECT pg_size_pretty(pg_total_relation_size('" + table + "'))"));
            }
        }

        String[] vectorText = new String[QUERIES];
        for (int i = 0; i < QUERIES; i++) {
            vectorText[i] = PgVectors.format(queries[i]);
        }
        Connection[] conns = new Connection[HIGH_CONCURRENCY];
        try {
            for (int i = 0; i < conns.length; i++) {
                conns[i] = connect();
                conns[i].setAutoCommit(false);
            }
            explain(conns[0], col, queries[0], vectorText[0]);

            // 5. Warm-up: JIT of the service and of this process, the index and table in the caches.
            System.out.printf("%nwarm-up ...%n");
            for (int ef : EFS) {
                measure(4, 0, Math.max(1, seconds / 10), http(ef, vectorText), truth);
                measure(1, 0, 0.5, direct(conns, col, ef, queries, vectorText, false), truth);
            }

            // 6. + 7. Per ef_search, interleaved so that each comparison shares the same moment of the machine:
            // HTTP at c=1 and c=16, the service's SQL directly at c=1, and that plus the service's row lock at c=1.
            double warm = Math.min(1, Math.max(0.5, seconds / 10));
            System.out.printf("%nload average before the search points: %s; checkpoints so far: %s%n", loadavg(),
                    checkpoints());
            System.out.printf("%n%-32s %8s %9s %9s %9s %10s %11s %11s%n", "point", "queries", "QPS", "p50 ms", "p99 ms",
                    "recall@10", "server ms*", "WAL syncs*");
            List<Row> rows = new ArrayList<>();
            for (int ef : EFS) {
                Point h1 = print("HTTP        c=1  ef=" + ef, point(1, warm, seconds, http(ef, vectorText), truth, true));
                Point h16 = print("HTTP        c=" + HIGH_CONCURRENCY + " ef=" + ef,
                        point(HIGH_CONCURRENCY, warm, seconds, http(ef, vectorText), truth, true));
                Point d1 = print("direct      c=1  ef=" + ef,
                        point(1, warm, seconds, direct(conns, col, ef, queries, vectorText, false), truth, false));
                Point l1 = print("direct+lock c=1  ef=" + ef,
                        point(1, warm, seconds, direct(conns, col, ef, queries, vectorText, true), truth, false));
                rows.add(new Row(ef, h1, h16, d1, l1));
            }
            Point d16 = print("direct      c=" + HIGH_CONCURRENCY + " ef=40", point(HIGH_CONCURRENCY, warm, seconds,
                    direct(conns, col, 40, queries, vectorText, false), truth, false));
            Point l16 = print("direct+lock c=" + HIGH_CONCURRENCY + " ef=40", point(HIGH_CONCURRENCY, warm, seconds,
                    direct(conns, col, 40, queries, vectorText, true), truth, false));
            // The HTTP floor: the same client and server stack with no database and no JSON body.
            Point floor = print("HTTP        c=1  GET /q/health/live", point(1, warm, seconds, live(), null, false));
            System.out.printf("* server ms: mean time per search inside the service (its Micrometer "
                    + "http_server_requests_seconds over the point); WAL syncs: pg_stat_wal.wal_sync per query over "
                    + "the point (approximate: cluster-wide, so other clients of the cluster count too, and backends "
                    + "report it with up to ~1 s delay).%n");
            System.out.printf("load average after the search points: %s; checkpoints so far: %s (one running "
                    + "during a point slows the WAL flush of every service search)%n", loadavg(), checkpoints());
            summary(n, clusters, spread, seed, loadSeconds, reindexSeconds, col, rows, d16, l16, floor, cores);
        } finally {
            for (Connection c : conns) {
                if (c != null) {
                    try {
                        c.close();
                    } catch (SQLException ignored) {
                        // closing
                    }
                }
            }
        }
    }

    // ---------------------------------------------------------------- data

    private static float[] gaussian(Random rnd, double sigma) {
        float[] v = new float[DIM];
        for (int j = 0; j < DIM; j++) {
            v[j] = (float) (rnd.nextGaussian() * sigma);
        }
        return v;
    }

    private static float[] point(Random rnd, float[][] centres, double sigma) {
        float[] c = centres[rnd.nextInt(centres.length)];
        float[] v = new float[DIM];
        for (int j = 0; j < DIM; j++) {
            v[j] = (float) (c[j] + rnd.nextGaussian() * sigma);
        }
        normalise(v);
        return v;
    }

    private static void normalise(float[] v) {
        double s = 0;
        for (float x : v) {
            s += (double) x * x;
        }
        double inv = 1 / Math.sqrt(s);
        for (int j = 0; j < v.length; j++) {
            v[j] = (float) (v[j] * inv);
        }
    }

    private static double dot(float[] a, float[] b) {
        double s = 0;
        for (int j = 0; j < a.length; j++) {
            s += (double) a[j] * b[j];
        }
        return s;
    }

    /** Indexes of the exact top-k by cosine (dot of unit vectors), best first. */
    private static int[] topK(float[][] data, float[] q) {
        int[] best = new int[TOP_K];
        double[] score = new double[TOP_K];
        Arrays.fill(score, Double.NEGATIVE_INFINITY);
        for (int i = 0; i < data.length; i++) {
            double s = dot(data[i], q);
            if (s > score[TOP_K - 1]) {
                int k = TOP_K - 1;
                while (k > 0 && score[k - 1] < s) {
                    score[k] = score[k - 1];
                    best[k] = best[k - 1];
                    k--;
                }
                score[k] = s;
                best[k] = i;
            }
        }
        return best;
    }

    private static int[][] groundTruth(float[][] data, float[][] queries) {
        int[][] truth = new int[queries.length][];
        IntStream.range(0, queries.length).parallel().forEach(i -> truth[i] = topK(data, queries[i]));
        return truth;
    }

    /** Prints how hard the neighbourhoods are: the mean cosine of the 1st and 10th exact neighbour and of a random point. */
    private static void describe(float[][] data, float[][] queries, int[][] truth) {
        double first = 0;
        double tenth = 0;
        double random = 0;
        Random r = new Random(7);
        for (int i = 0; i < queries.length; i++) {
            first += dot(data[truth[i][0]], queries[i]);
            tenth += dot(data[truth[i][TOP_K - 1]], queries[i]);
            random += dot(data[r.nextInt(data.length)], queries[i]);
        }
        System.out.printf("  mean cosine of query to: 1st neighbour %.3f, 10th neighbour %.3f, a random point %.3f%n",
                first / queries.length, tenth / queries.length, random / queries.length);
    }

    // ---------------------------------------------------------------- service

    private static void startService(Path jar) throws Exception {
        if (!Files.isRegularFile(jar)) {
            throw new IllegalStateException(jar + " not found; build with ./mvnw -pl retrieval-service -am install");
        }
        // Run a private copy of the fast-jar tree (it is relocatable), so that a rebuild of target/quarkus-app while
        // the benchmark runs (other builds in the same checkout) cannot pull class files from under the service.
        appCopy = Files.createTempDirectory("sightline-bench-app-");
        Path src = jar.toAbsolutePath().getParent();
        try (var files = Files.walk(src)) {
            for (Path from : (Iterable<Path>) files::iterator) {
                Path to = appCopy.resolve(src.relativize(from).toString());
                if (Files.isDirectory(from)) {
                    Files.createDirectories(to);
                } else {
                    Files.copy(from, to);
                }
            }
        }
        Path runJar = appCopy.resolve(jar.getFileName().toString());
        int port;
        try (ServerSocket s = new ServerSocket(0)) {
            port = s.getLocalPort();
        }
        base = "http://127.0.0.1:" + port;
        String java = ProcessHandle.current().info().command().orElse("java");
        List<String> cmd = new ArrayList<>(List.of(java, "-Dquarkus.http.port=" + port));
        String opts = System.getProperty("bench.service.opts", "").trim();
        if (!opts.isEmpty()) {
            cmd.addAll(List.of(opts.split("\\s+")));
        }
        cmd.addAll(List.of("-jar", runJar.toString()));
        Path log = Path.of("target", "bench-service.log");
        Files.createDirectories(log.getParent());
        System.out.println("\nservice: " + String.join(" ", cmd) + "  (a copy of " + src + "; log: " + log + ")");
        long t0 = System.nanoTime();
        service = new ProcessBuilder(cmd).redirectErrorStream(true).redirectOutput(log.toFile()).start();
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(120);
        while (true) {
            if (!service.isAlive()) {
                throw new IllegalStateException("service exited with " + service.exitValue() + "; see " + log);
            }
            if (Files.readString(log).contains("Failed to start application")) {
                throw new IllegalStateException("service failed to start; see " + log);
            }
            try {
                HttpResponse<String> r = HTTP.send(HttpRequest.newBuilder(URI.create(base + "/q/health/ready"))
                        .timeout(Duration.ofSeconds(5)).GET().build(), HttpResponse.BodyHandlers.ofString());
                if (r.statusCode() == 200) {
                    break;
                }
            } catch (IOException e) {
                // not listening yet
            }
            if (System.nanoTime() > deadline) {
                throw new IllegalStateException("service not ready after 120 s; see " + log);
            }
            Thread.sleep(100);
        }
        System.out.printf("service ready on port %d in %.1f s%n", port, secs(t0));
    }

    private static HttpRequest.Builder request(String path) {
        return HttpRequest.newBuilder(URI.create(base + path)).header("X-Sightline-Tenant", TENANT)
                .header("Content-Type", "application/json").timeout(Duration.ofMinutes(5));
    }

    private static int send(String method, String path, String body) throws IOException, InterruptedException {
        HttpRequest.BodyPublisher p = body == null ? HttpRequest.BodyPublishers.noBody()
                : HttpRequest.BodyPublishers.ofString(body);
        HttpResponse<String> r = HTTP.send(request(path).method(method, p).build(), HttpResponse.BodyHandlers.ofString());
        if (r.statusCode() >= 300) {
            System.out.printf("  %s %s -> %d %s%n", method, path, r.statusCode(), r.body());
        }
        return r.statusCode();
    }

    /** Deletes the collection (over HTTP, else directly) and stops the service; runs once, also on failure or ^C. */
    private static void cleanup() {
        if (!CLEANED.compareAndSet(false, true)) {
            return;
        }
        String name = collection;
        Process p = service;
        if (name != null) {
            boolean deleted = false;
            if (p != null && p.isAlive()) {
                try {
                    int s = send("DELETE", "/collections/" + name, null);
                    deleted = s == 204 || s == 404;
                    System.out.printf("%ndeleted collection %s/%s (HTTP %d)%n", TENANT, name, s);
                } catch (Exception e) {
                    System.out.println("DELETE over HTTP failed: " + e);
                }
            }
            if (!deleted) {
                deleteDirectly(name);
            }
        }
        if (p != null) {
            p.destroy();
            try {
                if (!p.waitFor(15, TimeUnit.SECONDS)) {
                    p.destroyForcibly();
                }
            } catch (InterruptedException e) {
                p.destroyForcibly();
                Thread.currentThread().interrupt();
            }
        }
        Path copy = appCopy;
        if (copy != null) {
            try (var files = Files.walk(copy)) {
                files.sorted(Comparator.reverseOrder()).forEach(f -> f.toFile().delete());
            } catch (IOException e) {
                System.out.println("could not delete " + copy + ": " + e);
            }
        }
    }

    private static void deleteDirectly(String name) {
        try (Connection c = connect()) {
            c.setAutoCommit(false);
            Long id = null;
            try (PreparedStatement ps = c.prepareStatement(
                    "DELETE FROM collections WHERE tenant = ? AND name = ? RETURNING id")) {
                ps.setString(1, TENANT);
                ps.setString(2, name);
                try (ResultSet rs = ps.executeQuery()) {
                    if (rs.next()) {
                        id = rs.getLong(1);
                    }
                }
            }
            if (id != null) {
                try (Statement st = c.createStatement()) {
                    st.execute("DROP TABLE IF EXISTS " + Partitions.table(id));
                }
            }
            c.commit();
            System.out.printf("deleted collection %s/%s directly in the database (%s)%n", TENANT, name,
                    id == null ? "it did not exist" : "id " + id);
        } catch (SQLException e) {
            System.out.println("could not delete collection " + name + ": " + e);
        }
    }

    // ---------------------------------------------------------------- load

    private static double load(float[][] data) throws Exception {
        int n = data.length;
        int batches = (n + BATCH - 1) / BATCH;
        AtomicInteger next = new AtomicInteger();
        AtomicInteger done = new AtomicInteger();
        ExecutorService pool = Executors.newFixedThreadPool(UPLOADERS);
        long t0 = System.nanoTime();
        System.out.printf("%nloading %d vectors ...%n", n);
        try {
            List<Future<?>> fs = new ArrayList<>();
            for (int u = 0; u < UPLOADERS; u++) {
                fs.add(pool.submit(() -> {
                    int b;
                    while ((b = next.getAndIncrement()) < batches) {
                        int from = b * BATCH;
                        int to = Math.min(n, from + BATCH);
                        String body = itemsBody(data, from, to);
                        HttpResponse<String> r = HTTP.send(request("/collections/" + collection + "/items")
                                .POST(HttpRequest.BodyPublishers.ofString(body)).build(),
                                HttpResponse.BodyHandlers.ofString());
                        if (r.statusCode() != 200) {
                            throw new IllegalStateException("upsert returned " + r.statusCode() + ": " + r.body());
                        }
                        int before = done.getAndAdd(to - from);
                        int after = before + to - from;
                        if (after / 10_000 > before / 10_000 || after == n) {
                            double s = secs(t0);
                            System.out.printf("  %7d / %d loaded, %6.1f s, %6.0f vectors/s%n", after, n, s,
                                    after / s);
                        }
                    }
                    return null;
                }));
            }
            for (Future<?> f : fs) {
                f.get();
            }
        } finally {
            pool.shutdownNow();
        }
        return secs(t0);
    }

    private static String itemsBody(float[][] data, int from, int to) {
        StringBuilder sb = new StringBuilder((to - from) * DIM * 12);
        sb.append("{\"items\":[");
        for (int i = from; i < to; i++) {
            if (i > from) {
                sb.append(',');
            }
            sb.append("{\"id\":\"v").append(i).append("\",\"modality\":\"image\",\"vector\":[");
            float[] v = data[i];
            for (int j = 0; j < v.length; j++) {
                if (j > 0) {
                    sb.append(',');
                }
                sb.append(v[j]);
            }
            sb.append("]}");
        }
        return sb.append("]}").toString();
    }

    // ---------------------------------------------------------------- search

    /** One search: returns the ids (indexes into the data) of the hits, best first. */
    @FunctionalInterface
    private interface Op {
        int[] run(int worker, int query) throws Exception;
    }

    private static Op http(int ef, String[] vectorText) {
        String[] bodies = new String[vectorText.length];
        for (int i = 0; i < bodies.length; i++) {
            bodies[i] = "{\"vector\":" + vectorText[i] + ",\"top_k\":" + TOP_K + ",\"ef_search\":" + ef + "}";
        }
        URI uri = URI.create(base + "/collections/" + collection + "/search");
        return (w, q) -> {
            HttpRequest req = HttpRequest.newBuilder(uri).header("X-Sightline-Tenant", TENANT)
                    .header("Content-Type", "application/json").timeout(Duration.ofSeconds(30))
                    .POST(HttpRequest.BodyPublishers.ofString(bodies[q])).build();
            HttpResponse<byte[]> r = HTTP.send(req, HttpResponse.BodyHandlers.ofByteArray());
            if (r.statusCode() != 200) {
                throw new IllegalStateException("search returned " + r.statusCode() + ": " + new String(r.body()));
            }
            JsonNode results = JSON.readTree(r.body()).get("results");
            int[] ids = new int[results.size()];
            for (int i = 0; i < ids.length; i++) {
                ids[i] = Integer.parseInt(results.get(i).get("id").asText().substring(1));
            }
            return ids;
        };
    }

    private static Op live() {
        URI uri = URI.create(base + "/q/health/live");
        return (w, q) -> {
            HttpResponse<byte[]> r = HTTP.send(HttpRequest.newBuilder(uri).timeout(Duration.ofSeconds(30)).GET().build(),
                    HttpResponse.BodyHandlers.ofByteArray());
            if (r.statusCode() != 200) {
                throw new IllegalStateException("/q/health/live returned " + r.statusCode());
            }
            return null;
        };
    }

    /** The service's search transaction (ItemStore.search) over plain JDBC; with lock, also its lockForUse. */
    private static Op direct(Connection[] conns, Collection col, int ef, float[][] queries, String[] vectorText,
            boolean lock) {
        String sql = SearchSql.of(col, new SearchQuery(queries[0], TOP_K, null, null, null, ef, null));
        return (w, q) -> {
            Connection c = conns[w];
            try {
                if (lock) {
                    try (PreparedStatement ps = c.prepareStatement(LOCK_FOR_USE)) {
                        ps.setString(1, col.tenant());
                        ps.setString(2, col.name());
                        try (ResultSet rs = ps.executeQuery()) {
                            rs.next();
                        }
                    }
                }
                setConfig(c, ef);
                int[] ids = new int[TOP_K];
                int k = 0;
                try (PreparedStatement ps = c.prepareStatement(sql)) {
                    ps.setString(1, vectorText[q]);
                    ps.setInt(2, TOP_K);
                    try (ResultSet rs = ps.executeQuery()) {
                        while (rs.next()) {
                            String id = rs.getString(1);
                            rs.getString(2);
                            rs.getString(3);
                            rs.getString(4);
                            rs.getDouble(5);
                            ids[k++] = Integer.parseInt(id.substring(1));
                        }
                    }
                }
                c.commit();
                return k == TOP_K ? ids : Arrays.copyOf(ids, k);
            } catch (SQLException | RuntimeException e) {
                c.rollback();
                throw e;
            }
        };
    }

    private static void setConfig(Connection c, int ef) throws SQLException {
        try (PreparedStatement set = c.prepareStatement(SET_CONFIG)) {
            set.setString(1, Integer.toString(Math.max(ef, TOP_K)));
            set.setString(2, ITERATIVE_SCAN);
            set.setString(3, Integer.toString(MAX_SCAN_TUPLES));
            set.execute();
        }
    }

    private record Point(int concurrency, long count, double qps, double p50, double p99, double recall,
            double serverMs, double walSyncs) {
    }

    private record Row(int ef, Point http1, Point http16, Point direct1, Point locked1) {
    }

    private static Point print(String label, Point p) {
        System.out.printf("%-32s %8d %9.1f %9.2f %9.2f %10s %11s %11s%n", label, p.count, p.qps, p.p50, p.p99,
                fmt("%.4f", p.recall), fmt("%.2f", p.serverMs), fmt("%.2f", p.walSyncs));
        return p;
    }

    /**
     * Runs the operation from {@code concurrency} threads, each issuing one query after another (cycling through
     * the queries), for {@code warm} seconds unmeasured and then {@code seconds} measured.
     */
    private static Point measure(int concurrency, double warm, double seconds, Op op, int[][] truth) throws Exception {
        if (warm > 0) {
            measure(concurrency, 0, warm, op, truth);
        }
        AtomicInteger next = new AtomicInteger();
        ExecutorService pool = Executors.newFixedThreadPool(concurrency);
        long start = System.nanoTime();
        long deadline = start + (long) (seconds * 1e9);
        try {
            List<Future<long[]>> fs = new ArrayList<>();
            List<double[]> recalls = new ArrayList<>();
            for (int t = 0; t < concurrency; t++) {
                int worker = t;
                double[] recall = new double[1];
                recalls.add(recall);
                fs.add(pool.submit(() -> {
                    long[] lat = new long[1024];
                    int k = 0;
                    while (System.nanoTime() < deadline) {
                        int q = next.getAndIncrement() % QUERIES;
                        long t0 = System.nanoTime();
                        int[] ids = op.run(worker, q);
                        long t1 = System.nanoTime();
                        if (k == lat.length) {
                            lat = Arrays.copyOf(lat, k * 2);
                        }
                        lat[k++] = t1 - t0;
                        recall[0] += truth == null ? 0 : recall(ids, truth[q]);
                    }
                    return Arrays.copyOf(lat, k);
                }));
            }
            long[] all = new long[0];
            for (Future<long[]> f : fs) {
                long[] l = f.get();
                int old = all.length;
                all = Arrays.copyOf(all, old + l.length);
                System.arraycopy(l, 0, all, old, l.length);
            }
            double elapsed = secs(start);
            double recallSum = recalls.stream().mapToDouble(r -> r[0]).sum();
            Arrays.sort(all);
            return new Point(concurrency, all.length, all.length / elapsed, percentile(all, 0.50),
                    percentile(all, 0.99), truth == null || all.length == 0 ? Double.NaN : recallSum / all.length,
                    Double.NaN, Double.NaN);
        } finally {
            pool.shutdownNow();
        }
    }

    /**
     * A measured point after a warm-up, with the WAL syncs per query and, for HTTP searches, the service's own mean
     * time per search from its metrics over the same interval.
     */
    private static Point point(int concurrency, double warm, double seconds, Op op, int[][] truth, boolean http)
            throws Exception {
        if (warm > 0) {
            measure(concurrency, 0, warm, op, truth);
        }
        double[] before = http ? serverSearchTotals() : null;
        long syncs = walSyncs();
        Point p = measure(concurrency, 0, seconds, op, truth);
        double walPerQuery = (walSyncs() - syncs) / (double) Math.max(1, p.count);
        double mean = Double.NaN;
        if (http) {
            double[] after = serverSearchTotals();
            double count = after[1] - before[1];
            mean = count > 0 ? (after[0] - before[0]) / count * 1e3 : Double.NaN;
        }
        return new Point(p.concurrency, p.count, p.qps, p.p50, p.p99, p.recall, mean, syncs < 0 ? Double.NaN
                : walPerQuery);
    }

    /** Checkpoints started since the statistics reset (timed + requested), from pg_stat_bgwriter. */
    private static String checkpoints() {
        try (Connection c = connect(); Statement st = c.createStatement()) {
            return one(st, "SELECT checkpoints_timed + checkpoints_req FROM pg_stat_bgwriter");
        } catch (SQLException | RuntimeException e) {
            return "n/a";
        }
    }

    /** pg_stat_wal.wal_sync (WAL flushes to disk, cluster-wide), or -1. */
    private static long walSyncs() {
        try (Connection c = connect(); Statement st = c.createStatement()) {
            return Long.parseLong(one(st, "SELECT wal_sync FROM pg_stat_wal"));
        } catch (SQLException | RuntimeException e) {
            return -1;
        }
    }

    /** Sum of seconds and count of successful searches from the service's http_server_requests_seconds metric. */
    private static double[] serverSearchTotals() {
        double[] t = {0, 0};
        try {
            HttpResponse<String> r = HTTP.send(HttpRequest.newBuilder(URI.create(base + "/q/metrics"))
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

    private static double recall(int[] got, int[] exact) {
        int hit = 0;
        for (int e : exact) {
            for (int g : got) {
                if (g == e) {
                    hit++;
                    break;
                }
            }
        }
        return hit / (double) exact.length;
    }

    /** Nearest-rank percentile of sorted nanoseconds, in milliseconds. */
    private static double percentile(long[] sorted, double p) {
        if (sorted.length == 0) {
            return Double.NaN;
        }
        int i = (int) Math.ceil(p * sorted.length) - 1;
        return sorted[Math.max(0, Math.min(sorted.length - 1, i))] / 1e6;
    }

    // ---------------------------------------------------------------- database

    private static Connection connect() throws SQLException {
        return DriverManager.getConnection(JDBC_URL, PG_USER, PG_PASSWORD);
    }

    private static Collection collectionRow(Connection c, String name) throws SQLException {
        try (PreparedStatement ps = c.prepareStatement("SELECT id, tenant, name, dimension, metric, model, hnsw_m,"
                + " hnsw_ef_construction, created_at FROM collections WHERE tenant = 'bench' AND name = ?")) {
            ps.setString(1, name);
            try (ResultSet rs = ps.executeQuery()) {
                if (!rs.next()) {
                    throw new IllegalStateException("collection " + name + " not found in the database");
                }
                return new Collection(rs.getLong(1), rs.getString(2), rs.getString(3), rs.getInt(4), rs.getString(5),
                        rs.getString(6), rs.getInt(7), rs.getInt(8), rs.getObject(9, OffsetDateTime.class));
            }
        }
    }

    /** EXPLAIN (ANALYZE, BUFFERS) of the service's statement, to show that the partition's HNSW index is used. */
    private static void explain(Connection c, Collection col, float[] query, String vectorText) throws SQLException {
        String sql = SearchSql.of(col, new SearchQuery(query, TOP_K, null, null, null, 40, null));
        List<String> plan = new ArrayList<>();
        try {
            setConfig(c, 40);
            try (PreparedStatement ps = c.prepareStatement("EXPLAIN (ANALYZE, BUFFERS) " + sql)) {
                ps.setString(1, vectorText);
                ps.setInt(2, TOP_K);
                try (ResultSet rs = ps.executeQuery()) {
                    while (rs.next()) {
                        plan.add(rs.getString(1));
                    }
                }
            }
        } finally {
            c.rollback();
        }
        String index = Partitions.index(col.id());
        System.out.printf("%nEXPLAIN (ANALYZE, BUFFERS) of the search statement (ef_search 40, top_k %d):%n", TOP_K);
        System.out.println("  " + sql.replaceAll("\\?::vector\\(" + DIM + "\\)", "\\$1::vector(" + DIM + ")"));
        plan.stream().limit(8).forEach(l -> System.out.println("  | " + (l.length() > 160 ? l.substring(0, 160) + " ..." : l)));
        plan.stream().skip(8).filter(l -> l.contains("Planning Time") || l.contains("Execution Time"))
                .forEach(l -> System.out.println("  | " + l));
        System.out.printf("  HNSW index %s used: %s%n", index,
                plan.stream().anyMatch(l -> l.contains("Index Scan using " + index)) ? "yes" : "NO");
    }

    // ---------------------------------------------------------------- report

    private static void summary(int n, int clusters, double spread, long seed, double loadSeconds,
            double reindexSeconds, Collection col, List<Row> rows, Point d16, Point l16, Point floor, int cores) {
        System.out.printf("%n## Retrieval benchmark (retrieval-service/bench/run.sh)%n%n");
        System.out.printf("- Dataset: %,d synthetic unit vectors, dimension %d, in %d gaussian clusters (offset norm "
                + "%.2f, seed %d); %d held-out queries drawn the same way; exact top-%d by brute force.%n", n, DIM,
                clusters, spread, seed, QUERIES, TOP_K);
        System.out.printf("- Machine: %d cores shared by the benchmark client, the service and PostgreSQL 15 + "
                + "pgvector 0.8 (fsync and synchronous_commit on); HNSW m=%d, ef_construction=%d.%n", cores, col.hnswM(),
                col.hnswEfConstruction());
        System.out.printf("- Bulk load over HTTP (%d uploaders, batches of %d, index maintained): %.1f s, %.0f vectors/s."
                + "%n", UPLOADERS, BATCH, loadSeconds, n / loadSeconds);
        System.out.printf("- Index build (`REINDEX INDEX`, full rebuild, maintenance_work_mem 512MB): %.1f s.%n",
                reindexSeconds);
        System.out.printf("- top_k %d; every point measured after a warm-up; recall@10 is the mean over every query "
                + "issued in the HTTP c=1 point; direct = the service's set_config + search SQL over JDBC, one "
                + "transaction per query; direct+lock = that plus the service's `SELECT ... FOR SHARE` of the "
                + "collection row.%n%n", TOP_K);
        System.out.println("| ef_search | recall@10 | HTTP c=1 QPS | p50 ms | p99 ms | HTTP c=16 QPS | p50 ms | p99 ms "
                + "| direct c=1 p50 ms | service/direct p50 | direct+lock c=1 p50 ms | service/direct+lock p50 |");
        System.out.println("|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|");
        for (Row r : rows) {
            System.out.printf("| %d | %.3f | %.0f | %.2f | %.2f | %.0f | %.2f | %.2f | %.2f | %.2fx | %.2f | %.2fx |%n",
                    r.ef, r.http1.recall, r.http1.qps, r.http1.p50, r.http1.p99, r.http16.qps, r.http16.p50,
                    r.http16.p99, r.direct1.p50, r.http1.p50 / r.direct1.p50, r.locked1.p50,
                    r.http1.p50 / r.locked1.p50);
        }
        Row at40 = rows.stream().filter(r -> r.ef == 40).findFirst().orElse(rows.get(0));
        System.out.printf("%nAt ef_search 40, c=%d: HTTP %.0f QPS (p50 %.2f ms), direct %.0f QPS (p50 %.2f ms), "
                + "direct+lock %.0f QPS (p50 %.2f ms).%n", HIGH_CONCURRENCY, at40.http16.qps, at40.http16.p50,
                d16.qps, d16.p50, l16.qps, l16.p50);
        System.out.printf("WAL syncs per query at ef_search 40, c=1 (pg_stat_wal, cluster-wide, approximate): HTTP %s, "
                + "direct %s, direct+lock %s; service-side mean time per search %s ms vs client p50 %.2f ms.%n",
                fmt("%.2f", at40.http1.walSyncs), fmt("%.2f", at40.direct1.walSyncs),
                fmt("%.2f", at40.locked1.walSyncs), fmt("%.2f", at40.http1.serverMs), at40.http1.p50);
        System.out.printf("HTTP floor (GET /q/health/live, no database, same client) at c=1: p50 %.2f ms, p99 %.2f ms."
                + "%n", floor.p50, floor.p99);
        Row best = rows.stream().filter(r -> r.http1.recall >= 0.95 && r.http1.p50 <= 5)
                .min(Comparator.comparingDouble(r -> r.http1.p50))
                .orElse(rows.stream().filter(r -> r.http1.recall >= 0.95).findFirst().orElse(null));
        System.out.printf("%nTargets: recall@10 >= 0.95 at p50 <= 5 ms (HTTP c=1): %s. Service <= 1.5x direct p50: "
                + "%s.%n", best == null ? "NOT MET (no ef_search reaches recall 0.95)"
                        : String.format("ef_search %d gives recall %.3f at p50 %.2f ms -> %s", best.ef, best.http1.recall,
                                best.http1.p50, best.http1.p50 <= 5 ? "met" : "NOT MET"),
                rows.stream().allMatch(r -> r.http1.p50 <= 1.5 * r.direct1.p50) ? "met at every ef_search"
                        : "NOT MET at ef_search " + rows.stream().filter(r -> r.http1.p50 > 1.5 * r.direct1.p50)
                                .map(r -> Integer.toString(r.ef)).toList());
    }

    // ---------------------------------------------------------------- helpers

    private static String one(Statement st, String sql) throws SQLException {
        try (ResultSet rs = st.executeQuery(sql)) {
            rs.next();
            return rs.getString(1);
        }
    }

    private static String fmt(String format, double v) {
        return Double.isNaN(v) ? "" : String.format(format, v);
    }

    private static String loadavg() {
        try {
            String[] f = Files.readString(Path.of("/proc/loadavg")).trim().split(" ");
            return f[0] + " " + f[1] + " " + f[2];
        } catch (IOException | RuntimeException e) {
            return "n/a";
        }
    }

    private static double secs(long since) {
        return (System.nanoTime() - since) / 1e9;
    }

    private static String env(String name, String dflt) {
        String v = System.getenv(name);
        return v == null || v.isBlank() ? dflt : v;
    }
}
