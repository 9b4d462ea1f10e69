package dev.sightline.gateway.bench;

import dev.sightline.gateway.auth.ApiKeys;
import java.io.IOException;
import java.net.ServerSocket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.Random;
import java.util.UUID;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReference;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Gateway overhead benchmark (not a test): the same searches through the gateway and directly against the internal
 * services, measured in the same run against the same freshly started embed-service, retrieval-service and gateway.
 *
 * <ul>
 * <li>vector search: {@code POST /v1/collections/{c}/search} with {@code query.vector} vs retrieval-service's
 * {@code POST /collections/{c}/search} with the tenant header;</li>
 * <li>text search: the gateway's text query (embed + search composed by the gateway) vs the client making the same two
 * calls itself ({@code /embed/text}, then retrieval search).</li>
 * </ul>
 *
 * <p>Both sides share one {@link HttpClient} (HTTP/1.1, keep-alive), prebuilt requests and the same worker loop. Each
 * point is preceded by a warm-up of both sides and measured in alternating one-second slices (direct, gateway, gateway,
 * direct, direct, gateway, ...) so that drift of the machine, or other work on it, affects both sides alike. CPU time of the client, the gateway and the whole machine is read from /proc around every phase: on a
 * small machine the client and the three services share the cores, and the gateway's CPU per request says what the
 * hop costs independently of that contention.
 *
 * <p>After loading, the collection's partition is analyzed with psql (SIGHTLINE_PG_* settings of db/env.sh): until
 * autovacuum gets to it, retrieval-service plans exact scans instead of HNSW searches for a new collection.
 *
 * <p>usage: GatewayBenchmark ROOT [seconds-per-point (10)] [vectors (10000)]
 */
public final class GatewayBenchmark {

    private static final String TENANT = "gwbench";
    private static final int DIM = 128;
    private static final int TOP_K = 10;
    private static final int BATCH = 1000;
    private static final int[] CONCURRENCY = {1, 16};
    /** Length of one measured slice of one side; a point alternates direct and gateway slices. */
    private static final double SLICE_SECONDS = 1.0;
    private static final Pattern ID = Pattern.compile("\"id\"\\s*:\\s*\"([^\"]*)\"");
    private static final AtomicReference<String> FIRST_ERROR = new AtomicReference<>();

    private static HttpClient http;
    private static long ticksPerSecond = 100;

    public static void main(String[] args) throws Exception {
        Path root = Path.of(args.length > 0 ? args[0] : "..").toAbsolutePath().normalize();
        double seconds = args.length > 1 ? Double.parseDouble(args[1]) : 10;
        int vectors = args.length > 2 ? Integer.parseInt(args[2]) : 10_000;
        double warmup = Math.max(2, seconds / 3);
        ticksPerSecond = clockTicks();
        http = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).connectTimeout(Duration.ofSeconds(5)).build();

        Path logs = root.resolve("gateway/target");
        Files.createDirectories(logs);
        int embedPort = freePort();
        int retrievalPort = freePort();
        int gatewayPort = freePort();
        String key = "sk-sl-bench-" + UUID.randomUUID();
        Path keysFile = Files.createTempFile("sightline-bench-keys", ".txt");
        keysFile.toFile().deleteOnExit();
        Files.writeString(keysFile, "# gateway benchmark\n" + ApiKeys.hash(key) + " " + TENANT + "\n");

        int cores = Runtime.getRuntime().availableProcessors();
        System.out.printf(Locale.ROOT, "gateway benchmark: %d cores, %.0f s per point and side (+ %.0f s warm-up per side), "
                + "%d vectors of %d dimensions, top_k %d, java %s%n", cores, seconds, warmup, vectors, DIM, TOP_K,
                System.getProperty("java.version"));
        System.out.println("load average before start: " + Files.readString(Path.of("/proc/loadavg")).strip());

        List<Process> procs = new ArrayList<>();
        Runtime.getRuntime().addShutdownHook(new Thread(() -> procs.forEach(Process::destroy)));
        String collection = "gwbench-" + UUID.randomUUID().toString().substring(0, 8);
        String retrieval = "http://127.0.0.1:" + retrievalPort;
        String embed = "http://127.0.0.1:" + embedPort;
        String gateway = "http://127.0.0.1:" + gatewayPort;
        boolean created = false;
        try {
            long t0 = System.nanoTime();
            Process embedProc = launch(root, "embed-service", embedPort, logs.resolve("bench-embed.log"),
                    List.of("-Dsightline.embed.model.dir=" + root.resolve("models/tiny-clip")));
            procs.add(embedProc);
            Process retrievalProc = launch(root, "retrieval-service", retrievalPort, logs.resolve("bench-retrieval.log"),
                    List.of());
            procs.add(retrievalProc);
            Process gatewayProc = launch(root, "gateway", gatewayPort, logs.resolve("bench-gateway.log"), List.of(
                    "-Dsightline.gateway.embed.url=" + embed,
                    "-Dsightline.gateway.retrieval.url=" + retrieval,
                    "-Dsightline.gateway.auth.keys-file=" + keysFile,
                    "-Dsightline.gateway.rate-limit.requests-per-second=1000000000",
                    "-Dsightline.gateway.rate-limit.burst=1000000000"));
            procs.add(gatewayProc);
            awaitReady(embedPort, embedProc, "embed");
            awaitReady(retrievalPort, retrievalProc, "retrieval");
            awaitReady(gatewayPort, gatewayProc, "gateway");
            System.out.printf(Locale.ROOT, "services ready in %.1f s: embed :%d, retrieval :%d, gateway :%d "
                    + "(logs in gateway/target/bench-*.log)%n", (System.nanoTime() - t0) / 1e9, embedPort, retrievalPort,
                    gatewayPort);

            // The collection, loaded through retrieval-service directly (the load is not what is measured).
            Random rnd = new Random(42);
            check(send(json(retrieval + "/collections/" + collection, "{\"dimension\":" + DIM
                    + ",\"model\":\"sightline/tiny-clip\"}", TENANT, null, "PUT")), 201, "create collection");
            created = true;
            long l0 = System.nanoTime();
            for (int b = 0; b < vectors; b += BATCH) {
                StringBuilder sb = new StringBuilder(BATCH * DIM * 12).append("{\"items\":[");
                for (int i = b; i < Math.min(vectors, b + BATCH); i++) {
                    sb.append(i == b ? "" : ",").append("{\"id\":\"v").append(i).append("\",\"modality\":\"")
                            .append(i % 2 == 0 ? "image" : "text").append("\",\"vector\":").append(vector(rnd)).append('}');
                }
                check(send(json(retrieval + "/collections/" + collection + "/items", sb.append("]}").toString(),
                        TENANT, null, "POST")), 200, "upsert batch");
            }
            HttpResponse<String> info = send(json(retrieval + "/collections/" + collection, null, TENANT, null, "GET"));
            System.out.printf(Locale.ROOT, "collection %s (tenant %s) loaded in %.1f s: %s%n", collection, TENANT,
                    (System.nanoTime() - l0) / 1e9, info.body());

            // Prebuilt requests: the same query vectors / texts on both sides.
            int nq = 256;
            List<HttpRequest> vecGateway = new ArrayList<>();
            List<HttpRequest> vecDirect = new ArrayList<>();
            for (int i = 0; i < nq; i++) {
                String v = vector(rnd);
                vecGateway.add(json(gateway + "/v1/collections/" + collection + "/search",
                        "{\"query\":{\"vector\":" + v + "},\"top_k\":" + TOP_K + "}", null, key, "POST"));
                vecDirect.add(json(retrieval + "/collections/" + collection + "/search",
                        "{\"vector\":" + v + ",\"top_k\":" + TOP_K + "}", TENANT, null, "POST"));
            }
            List<String> texts = texts();
            List<HttpRequest> textGateway = new ArrayList<>();
            List<HttpRequest> textEmbed = new ArrayList<>();
            for (String t : texts) {
                textGateway.add(json(gateway + "/v1/collections/" + collection + "/search",
                        "{\"query\":{\"text\":\"" + t + "\"},\"top_k\":" + TOP_K + "}", null, key, "POST"));
                textEmbed.add(json(embed + "/embed/text", "{\"texts\":[\"" + t + "\"]}", null, null, "POST"));
            }
            URI directSearch = URI.create(retrieval + "/collections/" + collection + "/search");

            Call vg = i -> ok(send(vecGateway.get(i % nq)));
            Call vd = i -> ok(send(vecDirect.get(i % nq)));
            Call tg = i -> ok(send(textGateway.get(i % texts.size())));
            Call td = i -> {
                HttpResponse<String> e = send(textEmbed.get(i % texts.size()));
                if (!ok(e)) {
                    return false;
                }
                String v = firstEmbedding(e.body());
                return v != null && ok(send(json(directSearch, "{\"vector\":" + v + ",\"top_k\":" + TOP_K + "}")));
            };

            // A new collection's partition has no planner statistics until autovacuum analyzes it (up to a minute or
            // more later); until then retrieval-service's searches are exact scans, not HNSW. Analyze it now so that
            // every point measures the same plan.
            double before = medianMs(vecDirect, 20);
            String analyzed = analyze(collection);
            System.out.printf(Locale.ROOT, "direct search, median of 20: %.2f ms before ANALYZE, %.2f ms after (%s)%n", before,
                    medianMs(vecDirect, 20), analyzed);

            // Same answers both ways, before anything is timed.
            for (int i = 0; i < 3; i++) {
                same("vector", ids(send(vecGateway.get(i))), ids(send(vecDirect.get(i))));
                HttpResponse<String> e = send(textEmbed.get(i));
                same("text", ids(send(textGateway.get(i))),
                        ids(send(json(directSearch, "{\"vector\":" + firstEmbedding(e.body()) + ",\"top_k\":" + TOP_K + "}"))));
            }
            System.out.println("sanity: gateway and direct return the same top-10 ids for vector and text queries");

            Pids pids = new Pids(ProcessHandle.current().pid(), gatewayProc.pid(), retrievalProc.pid(), embedProc.pid());
            Cpu idle0 = Cpu.read(pids);
            Thread.sleep(2000);
            Cpu idle1 = Cpu.read(pids);
            double idleSeconds = (idle1.at - idle0.at) / 1e9;
            long background = (idle1.machine - idle0.machine) - (idle1.client - idle0.client)
                    - (idle1.gateway - idle0.gateway) - (idle1.services - idle0.services);
            System.out.printf(Locale.ROOT, "before the load (2 s, this benchmark idle): machine busy %.0f%% of %d cores: "
                    + "PostgreSQL %.0f%%, other processes %.0f%%%s%n",
                    100.0 * (idle1.machine - idle0.machine) / ticksPerSecond / idleSeconds / cores, cores,
                    100.0 * (idle1.postgres - idle0.postgres) / ticksPerSecond / idleSeconds / cores,
                    100.0 * idle1.others(idle0) / ticksPerSecond / idleSeconds / cores,
                    background > 0.2 * ticksPerSecond * idleSeconds * cores
                            ? " -- WARNING: the machine is not quiet (other work is running), results will be noisy" : "");

            // JIT warm-up of every path (the gateway's CPU per request keeps falling for tens of seconds), then a
            // shorter warm-up of both sides before each point.
            System.out.printf(Locale.ROOT, "warming up all paths (%.0f s each)...%n", Math.max(5, seconds));
            for (Call c : List.of(vd, vg, td, tg)) {
                load(16, Math.max(5, seconds) / 2, c, pids);
                load(1, Math.max(5, seconds) / 2, c, pids);
            }

            List<Point> points = new ArrayList<>();
            for (String query : List.of("vector", "text")) {
                Call direct = query.equals("vector") ? vd : td;
                Call through = query.equals("vector") ? vg : tg;
                for (int c : CONCURRENCY) {
                    awaitQuiet(pids, cores);
                    load(c, warmup, direct, pids);
                    load(c, warmup, through, pids);
                    // Short alternating slices (D G, G D, D G, ...): bursts of other work on the machine hit both sides.
                    int slices = Math.max(2, (int) Math.round(seconds / SLICE_SECONDS));
                    Result d = null;
                    Result g = null;
                    for (int k = 0; k < slices; k++) {
                        Result first = load(c, seconds / slices, k % 2 == 0 ? direct : through, pids);
                        Result second = load(c, seconds / slices, k % 2 == 0 ? through : direct, pids);
                        Result dk = k % 2 == 0 ? first : second;
                        Result gk = k % 2 == 0 ? second : first;
                        d = d == null ? dk : d.plus(dk);
                        g = g == null ? gk : g.plus(gk);
                    }
                    Point p = new Point(query, c, d, g);
                    points.add(p);
                    System.out.printf(Locale.ROOT, "  %s c=%d: direct %.0f req/s p50 %.2f ms | gateway %.0f req/s p50 %.2f ms%n",
                            query, c, p.direct.rate(), p.direct.pct(0.5), p.gateway.rate(), p.gateway.pct(0.5));
                }
            }
            System.out.println("load average after the run: " + Files.readString(Path.of("/proc/loadavg")).strip());
            if (FIRST_ERROR.get() != null) {
                System.out.println("first error seen: " + FIRST_ERROR.get());
            }
            print(points, cores, vectors, seconds);
        } finally {
            if (created) {
                try {
                    send(json(retrieval + "/collections/" + collection, null, TENANT, null, "DELETE"));
                } catch (Exception e) {
                    System.out.println("could not delete collection " + collection + ": " + e);
                }
            }
            for (Process p : procs) {
                p.destroy();
            }
            for (Process p : procs) {
                if (!p.waitFor(15, TimeUnit.SECONDS)) {
                    p.destroyForcibly();
                }
            }
        }
    }

    // ---------------------------------------------------------------------------------------------- output

    private static void print(List<Point> points, int cores, int vectors, double seconds) {
        System.out.printf(Locale.ROOT, "%n### Gateway overhead (%d-core machine, %,d vectors of %d dimensions, top_k %d, "
                + "%.0f s per point and side)%n%n", cores, vectors, DIM, TOP_K, seconds);
        System.out.println("| query | concurrency | path | req/s | mean ms | p50 ms | p99 ms | errors | CPU ms/req: client "
                + "| gateway | embed + retrieval | machine | busy: machine | PostgreSQL | other processes |");
        System.out.println("|---|---:|---|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|");
        for (Point p : points) {
            row(p.query, p.concurrency, "direct", p.direct, cores);
            row(p.query, p.concurrency, "gateway", p.gateway, cores);
        }
        System.out.println();
        System.out.println("| query | concurrency | added p50 ms | added p99 ms | throughput gateway/direct "
                + "| gateway CPU ms/req (JIT part) | targets (vector: ≤ 1 ms p50, ≥ 0.90) |");
        System.out.println("|---|---:|---:|---:|---:|---:|---|");
        for (Point p : points) {
            double added = p.gateway.pct(0.5) - p.direct.pct(0.5);
            double ratio = p.gateway.rate() / p.direct.rate();
            String target = !p.query.equals("vector") ? "n/a"
                    : (added <= 1.0 ? "p50 met" : "p50 missed") + ", " + (ratio >= 0.90 ? "throughput met" : "throughput missed");
            System.out.printf(Locale.ROOT, "| %s | %d | %+.2f | %+.2f | %.2f | %.2f (%.2f) | %s |%n", p.query, p.concurrency,
                    added, p.gateway.pct(0.99) - p.direct.pct(0.99), ratio, p.gateway.cpuMs(p.gateway.gateway),
                    p.gateway.cpuMs(p.gateway.gatewayJit), target);
        }
        System.out.println();
        System.out.println("direct vector = retrieval-service search with the tenant header; direct text = the client "
                + "calls /embed/text, then retrieval search. One shared java.net.http client (HTTP/1.1, keep-alive) on "
                + "both sides; each point alternates 1 s slices of the two sides (D G, G D, ...) after a warm-up of both. CPU ms/req = CPU time used during the "
                + "measured phases / requests completed (machine = all processes, including PostgreSQL and the client); "
                + "busy = % of all cores (PostgreSQL: all its processes, also those serving other clients); other processes = "
                + "neither this benchmark's JVMs nor PostgreSQL. JIT part = the gateway's JIT compiler threads. Closed loop: at "
                + "concurrency 1 the throughput ratio is the inverse ratio of mean latencies.");
    }

    private static void row(String query, int c, String path, Result r, int cores) {
        System.out.printf(Locale.ROOT, "| %s | %d | %s | %.0f | %.2f | %.2f | %.2f | %d | %.2f | %.2f | %.2f | %.2f "
                + "| %.0f%% | %.0f%% | %.0f%% |%n", query, c, path, r.rate(), r.mean(), r.pct(0.5), r.pct(0.99), r.errors,
                r.cpuMs(r.client),
                r.cpuMs(r.gateway), r.cpuMs(r.services), r.cpuMs(r.machine), busy(r.machine, r, cores),
                busy(r.postgres, r, cores), busy(r.others, r, cores));
    }

    private static double busy(long ticks, Result r, int cores) {
        return 100.0 * ticks / ticksPerSecond / r.seconds / cores;
    }

    // ---------------------------------------------------------------------------------------------- load

    @FunctionalInterface
    private interface Call {
        boolean call(int i) throws Exception;
    }

    private record Point(String query, int concurrency, Result direct, Result gateway) {
    }

    /** Latencies (ns, sorted), errors, window and CPU ticks of one or more phases. */
    private record Result(long[] lat, long errors, double seconds, long client, long gateway, long gatewayJit,
            long services, long postgres, long machine, long others) {
        double rate() {
            return lat.length / seconds;
        }

        double mean() {
            return lat.length == 0 ? Double.NaN : Arrays.stream(lat).average().orElse(0) / 1e6;
        }

        double pct(double q) {
            return lat.length == 0 ? Double.NaN : lat[Math.min(lat.length - 1, (int) (q * lat.length))] / 1e6;
        }

        double cpuMs(long ticks) {
            return lat.length == 0 ? Double.NaN : ticks * 1000.0 / ticksPerSecond / lat.length;
        }

        Result plus(Result o) {
            long[] all = Arrays.copyOf(lat, lat.length + o.lat.length);
            System.arraycopy(o.lat, 0, all, lat.length, o.lat.length);
            Arrays.sort(all);
            return new Result(all, errors + o.errors, seconds + o.seconds, client + o.client, gateway + o.gateway,
                    gatewayJit + o.gatewayJit, services + o.services, postgres + o.postgres, machine + o.machine, others + o.others);
        }
    }

    /** Closed loop: {@code concurrency} workers, each sending its next request as soon as the previous one is answered. */
    private static Result load(int concurrency, double seconds, Call call, Pids pids) throws Exception {
        ExecutorService pool = Executors.newFixedThreadPool(concurrency);
        try {
            Cpu before = Cpu.read(pids);
            long start = System.nanoTime();
            long deadline = start + (long) (seconds * 1e9);
            List<Future<long[]>> futures = new ArrayList<>();
            for (int w = 0; w < concurrency; w++) {
                int seed = w * 7919;
                futures.add(pool.submit(() -> {
                    long[] lat = new long[1024];
                    int n = 0;
                    long errors = 0;
                    int i = seed;
                    while (true) {
                        long s = System.nanoTime();
                        if (s >= deadline) {
                            break;
                        }
                        boolean ok;
                        try {
                            ok = call.call(i++);
                        } catch (Exception e) {
                            FIRST_ERROR.compareAndSet(null, e.toString());
                            ok = false;
                        }
                        long end = System.nanoTime();
                        if (end > deadline) {
                            break; // answered after the window: not counted either way
                        }
                        if (ok) {
                            if (n == lat.length) {
                                lat = Arrays.copyOf(lat, n * 2);
                            }
                            lat[n++] = end - s;
                        } else {
                            errors++;
                        }
                    }
                    long[] out = Arrays.copyOf(lat, n + 1);
                    out[n] = errors; // last slot carries the error count
                    return out;
                }));
            }
            // CPU is read at the window's end, not after the workers' last (uncounted) answers.
            long left;
            while ((left = deadline - System.nanoTime()) > 0) {
                Thread.sleep(Math.max(1, left / 1_000_000));
            }
            Cpu after = Cpu.read(pids);
            long[] all = new long[0];
            long errors = 0;
            for (Future<long[]> f : futures) {
                long[] r = f.get();
                errors += r[r.length - 1];
                int n = all.length;
                all = Arrays.copyOf(all, n + r.length - 1);
                System.arraycopy(r, 0, all, n, r.length - 1);
            }
            Arrays.sort(all);
            return new Result(all, errors, (deadline - start) / 1e9, after.client - before.client,
                    after.gateway - before.gateway, Math.max(0, after.gatewayJit - before.gatewayJit),
                    after.services - before.services, after.postgres - before.postgres,
                    after.machine - before.machine, after.others(before));
        } finally {
            pool.shutdownNow();
        }
    }

    // ---------------------------------------------------------------------------------------------- CPU accounting

    private record Pids(long client, long gateway, long retrieval, long embed) {
    }

    /**
     * CPU ticks used so far by the client, the gateway, the two services, PostgreSQL (all its processes) and the whole
     * machine (busy time of all cores).
     */
    private record Cpu(long at, long client, long gateway, long gatewayJit, long services, long postgres, long machine) {
        static Cpu read(Pids p) {
            long pg = ProcessHandle.allProcesses().filter(h -> h.info().command().map(c -> c.endsWith("/postgres"))
                    .orElse(false)).mapToLong(h -> procTicks(h.pid())).sum();
            return new Cpu(System.nanoTime(), procTicks(p.client), procTicks(p.gateway), jitTicks(p.gateway),
                    procTicks(p.retrieval) + procTicks(p.embed), pg, machineTicks());
        }

        /** Ticks of everything else on the machine (neither this benchmark's JVMs nor PostgreSQL) since {@code before}. */
        long others(Cpu before) {
            return Math.max(0, (machine - before.machine) - (client - before.client) - (gateway - before.gateway)
                    - (services - before.services) - (postgres - before.postgres));
        }
    }

    /**
     * Waits (up to a minute) until work outside this benchmark (PostgreSQL included: between points this benchmark
     * sends it nothing) uses under a quarter of the machine, so that a point does not start in another user's burst.
     */
    private static void awaitQuiet(Pids pids, int cores) throws InterruptedException {
        long limit = System.nanoTime() + TimeUnit.SECONDS.toNanos(60);
        double busy = 0;
        while (System.nanoTime() < limit) {
            Cpu a = Cpu.read(pids);
            Thread.sleep(1000);
            Cpu b = Cpu.read(pids);
            long background = (b.machine - a.machine) - (b.client - a.client) - (b.gateway - a.gateway)
                    - (b.services - a.services);
            busy = background / (double) ticksPerSecond / ((b.at - a.at) / 1e9) / cores;
            if (busy < 0.25) {
                return;
            }
        }
        System.out.printf(Locale.ROOT, "  (the machine stayed busy with other work: %.0f%% of its cores; measuring anyway)%n",
                100 * busy);
    }

    /** CPU ticks of a JVM's JIT compiler threads ("C1 CompilerThread…", "C2 CompilerThread…"). */
    private static long jitTicks(long pid) {
        long sum = 0;
        try (java.util.stream.Stream<Path> tasks = Files.list(Path.of("/proc", Long.toString(pid), "task"))) {
            for (Path t : tasks.toList()) {
                try {
                    String comm = Files.readString(t.resolve("comm"));
                    if (comm.startsWith("C") && comm.contains("CompilerThre")) {
                        String st = Files.readString(t.resolve("stat"));
                        String[] f = st.substring(st.lastIndexOf(')') + 2).split(" ");
                        sum += Long.parseLong(f[11]) + Long.parseLong(f[12]);
                    }
                } catch (IOException | RuntimeException e) {
                    // the thread ended meanwhile
                }
            }
        } catch (IOException e) {
            return 0;
        }
        return sum;
    }

    private static long procTicks(long pid) {
        try {
            String s = Files.readString(Path.of("/proc", Long.toString(pid), "stat"));
            String[] f = s.substring(s.lastIndexOf(')') + 2).split(" ");
            return Long.parseLong(f[11]) + Long.parseLong(f[12]); // utime + stime (fields 14 and 15)
        } catch (IOException | RuntimeException e) {
            return 0;
        }
    }

    private static long machineTicks() {
        try {
            String[] f = Files.readAllLines(Path.of("/proc/stat")).get(0).trim().split("\\s+");
            long busy = 0;
            for (int i = 1; i < Math.min(f.length, 9); i++) {
                if (i != 4 && i != 5) { // idle, iowait
                    busy += Long.parseLong(f[i]);
                }
            }
            return busy;
        } catch (IOException | RuntimeException e) {
            return 0;
        }
    }

    private static long clockTicks() {
        try {
            Process p = new ProcessBuilder("getconf", "CLK_TCK").redirectErrorStream(true).start();
            String out = new String(p.getInputStream().readAllBytes()).strip();
            p.waitFor();
            return Long.parseLong(out);
        } catch (Exception e) {
            return 100;
        }
    }

    // ---------------------------------------------------------------------------------------------- HTTP

    private static HttpRequest json(String url, String body, String tenant, String key, String method) {
        HttpRequest.Builder b = HttpRequest.newBuilder(URI.create(url)).timeout(Duration.ofSeconds(30));
        if (body != null) {
            b.header("Content-Type", "application/json");
        }
        if (tenant != null) {
            b.header("X-Sightline-Tenant", tenant);
        }
        if (key != null) {
            b.header("Authorization", "Bearer " + key);
        }
        return b.method(method, body == null ? HttpRequest.BodyPublishers.noBody() : HttpRequest.BodyPublishers.ofString(body))
                .build();
    }

    private static HttpRequest json(URI searchUri, String body) {
        return HttpRequest.newBuilder(searchUri).timeout(Duration.ofSeconds(30)).header("Content-Type", "application/json")
                .header("X-Sightline-Tenant", TENANT).POST(HttpRequest.BodyPublishers.ofString(body)).build();
    }

    private static HttpResponse<String> send(HttpRequest req) throws IOException, InterruptedException {
        return http.send(req, HttpResponse.BodyHandlers.ofString());
    }

    private static boolean ok(HttpResponse<String> r) {
        if (r.statusCode() == 200) {
            return true;
        }
        FIRST_ERROR.compareAndSet(null, r.request().uri().getPath() + " answered " + r.statusCode() + ": " + r.body());
        return false;
    }

    private static void check(HttpResponse<String> r, int expected, String what) {
        if (r.statusCode() != expected && !(expected == 201 && r.statusCode() == 200)) {
            throw new IllegalStateException(what + " answered " + r.statusCode() + ": " + r.body());
        }
    }

    /** The first embedding of an /embed/text answer, as JSON text ("[...]"), without parsing the numbers. */
    private static String firstEmbedding(String body) {
        int at = body.indexOf("\"embeddings\"");
        int start = at < 0 ? -1 : body.indexOf('[', body.indexOf('[', at) + 1);
        int end = start < 0 ? -1 : body.indexOf(']', start);
        return end < 0 ? null : body.substring(start, end + 1);
    }

    private static List<String> ids(HttpResponse<String> r) {
        if (r.statusCode() != 200) {
            throw new IllegalStateException("search answered " + r.statusCode() + ": " + r.body());
        }
        List<String> ids = new ArrayList<>();
        Matcher m = ID.matcher(r.body());
        while (m.find()) {
            ids.add(m.group(1));
        }
        return ids;
    }

    private static void same(String what, List<String> gateway, List<String> direct) {
        if (gateway.size() != TOP_K || !gateway.equals(direct)) {
            throw new IllegalStateException(what + " search differs: gateway " + gateway + " vs direct " + direct);
        }
    }

    // ---------------------------------------------------------------------------------------------- set-up

    /** ANALYZE of the collection's partition with psql (SIGHTLINE_PG_* settings, as db/env.sh); what happened. */
    private static String analyze(String collection) {
        String host = System.getenv().getOrDefault("SIGHTLINE_PG_HOST", "127.0.0.1");
        String port = System.getenv().getOrDefault("SIGHTLINE_PG_PORT", "55432");
        String user = System.getenv().getOrDefault("SIGHTLINE_PG_USER", "sightline");
        String db = System.getenv().getOrDefault("SIGHTLINE_PG_DB", "sightline");
        Path bin = Path.of(System.getenv().getOrDefault("SIGHTLINE_PG_BIN", "/usr/lib/postgresql/15/bin"), "psql");
        String psql = Files.isExecutable(bin) ? bin.toString() : "psql";
        // Partition name as retrieval-service's Partitions.table(id); names are checked patterns, safe to inline.
        String sql = "DO $$ BEGIN EXECUTE format('ANALYZE items_c%s', (SELECT id FROM collections WHERE tenant = '"
                + TENANT + "' AND name = '" + collection + "')); END $$;";
        try {
            ProcessBuilder pb = new ProcessBuilder(psql, "-X", "-q", "-v", "ON_ERROR_STOP=1", "-h", host, "-p", port, "-U",
                    user, "-d", db, "-c", sql).redirectErrorStream(true);
            pb.environment().put("PGPASSWORD", System.getenv().getOrDefault("SIGHTLINE_PG_PASSWORD", "sightline"));
            Process p = pb.start();
            String out = new String(p.getInputStream().readAllBytes()).strip();
            if (!p.waitFor(60, TimeUnit.SECONDS) || p.exitValue() != 0) {
                return "ANALYZE failed, the first points may use exact scans: " + out;
            }
            return "ANALYZE of the collection's partition done with psql";
        } catch (IOException e) {
            return "psql not available (" + e.getMessage() + "); the first points may use exact scans";
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return "interrupted";
        }
    }

    private static double medianMs(List<HttpRequest> requests, int n) throws IOException, InterruptedException {
        long[] t = new long[n];
        for (int i = 0; i < n; i++) {
            long s = System.nanoTime();
            ids(send(requests.get(i % requests.size())));
            t[i] = System.nanoTime() - s;
        }
        Arrays.sort(t);
        return t[n / 2] / 1e6;
    }

    private static String vector(Random r) {
        double[] v = new double[DIM];
        double norm = 0;
        for (int i = 0; i < DIM; i++) {
            v[i] = r.nextGaussian();
            norm += v[i] * v[i];
        }
        norm = Math.sqrt(norm);
        StringBuilder sb = new StringBuilder(DIM * 12).append('[');
        for (int i = 0; i < DIM; i++) {
            sb.append(i == 0 ? "" : ",").append((float) (v[i] / norm));
        }
        return sb.append(']').toString();
    }

    private static List<String> texts() {
        List<String> t = new ArrayList<>();
        for (String c : List.of("red", "green", "blue", "yellow", "orange", "purple", "white", "black")) {
            for (String s : List.of("circle", "square", "triangle", "star", "cross")) {
                t.add("a photo of a " + c + " " + s + ".");
            }
        }
        return t;
    }

    private static Process launch(Path root, String module, int port, Path log, List<String> props) throws IOException {
        Path jar = root.resolve(module).resolve("target/quarkus-app/quarkus-run.jar");
        if (!Files.isRegularFile(jar)) {
            throw new IllegalStateException(jar + " is missing: run ./mvnw -B -q install -DskipTests from the root");
        }
        List<String> cmd = new ArrayList<>(List.of("java", "-Dquarkus.http.port=" + port));
        cmd.addAll(props);
        cmd.addAll(List.of("-jar", jar.toString()));
        System.out.println(module + ": " + String.join(" ", cmd));
        return new ProcessBuilder(cmd).redirectErrorStream(true).redirectOutput(log.toFile()).start();
    }

    private static void awaitReady(int port, Process p, String name) throws Exception {
        HttpRequest ready = HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + "/q/health/ready"))
                .timeout(Duration.ofSeconds(5)).build();
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(120);
        while (System.nanoTime() < deadline) {
            if (!p.isAlive()) {
                throw new IllegalStateException(name + " exited; see gateway/target/bench-" + name + ".log");
            }
            try {
                if (http.send(ready, HttpResponse.BodyHandlers.discarding()).statusCode() == 200) {
                    return;
                }
            } catch (IOException e) {
                // not listening yet
            }
            Thread.sleep(50);
        }
        throw new IllegalStateException(name + " on port " + port + " never became ready");
    }

    private static int freePort() throws IOException {
        try (ServerSocket s = new ServerSocket(0)) {
            return s.getLocalPort();
        }
    }
}
