package dev.sightline.retrieval.bench;

import com.fasterxml.jackson.databind.JsonNode;
import dev.sightline.retrieval.Precision;
import java.net.http.HttpTimeoutException;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * retrieval-service benchmark (a command, not a test). For each data set and precision: a bulk load through the
 * service into an empty collection, the HNSW index the service builds after it, then top-10 searches over HTTP at
 * every ef_search and concurrency 1 and 16 (QPS, p50, p99, recall@10 against brute-force ground truth), against the
 * service's own SQL issued directly over JDBC in the same run; then a summary against the targets.
 *
 * <p>usage: RetrievalBenchmark JAR [--vectors N] [--seconds S] [--dataset clusters|topics|both]
 * [--precision float32|float16|both] (see {@link Settings}).
 *
 * <p>System properties: {@code bench.seed} (42), {@code bench.clusters} (1000), {@code bench.spread} (0.75),
 * {@code bench.service.opts}. The database is {@code SIGHTLINE_PG_JDBC_URL} / {@code SIGHTLINE_PG_USER} /
 * {@code SIGHTLINE_PG_PASSWORD} (default the db/start.sh cluster); the service inherits the same environment.
 */
public final class RetrievalBenchmark {

    private RetrievalBenchmark() {
    }

    public static void main(String[] args) throws Exception {
        Locale.setDefault(Locale.ROOT);
        // JBoss LogManager (on the class path) must own java.util.logging before pgjdbc initialises it, or the HTTP
        // client's first logger lookup complains on stderr.
        System.setProperty("java.util.logging.manager", "org.jboss.logmanager.LogManager");
        if (args.length < 1) {
            System.err.println(Settings.USAGE);
            System.exit(2);
        }
        Settings settings = Settings.fromArgs(args);
        int cores = Runtime.getRuntime().availableProcessors();
        List<String> serviceSettings = serviceSettings();
        List<String> serviceOptions = new ArrayList<>(serviceSettings);
        serviceOptions.addAll(settings.serviceOptions());
        Report report = new Report(settings, cores, serviceSettings);
        BenchDatabase db = BenchDatabase.fromEnvironment();
        report.header();
        db.describe();

        BenchService service = BenchService.start(settings.withServiceOptions(serviceOptions), db);
        List<Run> runs = new ArrayList<>();
        Map<String, Double> exactHalf = new LinkedHashMap<>();
        try {
            for (String name : settings.datasets()) {
                Dataset dataset = Dataset.generate(settings, name);
                if (settings.precisions().contains(Precision.FLOAT16)) {
                    exactHalf.put(name, dataset.exactRecallInFloat16());
                }
                try (BulkLoad.Bodies bodies = BulkLoad.write(dataset.data())) {
                    if (runs.isEmpty()) {
                        warmUpBulk(service, bodies, settings.vectors());
                    }
                    for (Precision precision : settings.precisions()) {
                        Run run = run(settings, report, db, service, dataset, bodies, name, precision);
                        report.run(run, dataset);
                        runs.add(run);
                    }
                }
            }
            report.summary(runs, exactHalf);
        } finally {
            service.cleanup();
        }
        if (settings.replica()) {
            ReplicaPhase.run(settings, serviceSettings, db);
        }
    }

    /**
     * The service's index-build settings ({@code bench.service.settings}, from bench/run.sh: scripts/lib.sh's
     * index_build_args, the sizing ./sightline up uses) and a 2 GB heap, leaving the memory to PostgreSQL.
     */
    private static List<String> serviceSettings() {
        List<String> out = new ArrayList<>(List.of("-Xmx2g"));
        String s = System.getProperty("bench.service.settings", "").trim();
        if (!s.isEmpty()) {
            out.addAll(List.of(s.split("\\s+")));
        }
        return out;
    }

    /** Bodies (of {@link Settings#BATCH} items) loaded into a throwaway collection before the first measured load. */
    private static final int WARM_UP_BODIES = 10;

    /**
     * The bulk path's JIT before the first measured load: up to {@link #WARM_UP_BODIES} bodies into a throwaway
     * collection, its rate printed (a cold service: the first 100,000 vectors of a 1M load had gone in at half the rate
     * of the rest).
     */
    private static void warmUpBulk(BenchService service, BulkLoad.Bodies bodies, int vectors) throws Exception {
        int count = Math.min(WARM_UP_BODIES, bodies.files().size());
        int n = Math.min(vectors, count * Settings.BATCH);
        String collection = service.createCollection("warmup", Precision.FLOAT32);
        // Not closed: the files belong to the data set's bodies.
        BulkLoad.Bodies first = new BulkLoad.Bodies(bodies.dir(), bodies.files().subList(0, count));
        double seconds = new BulkLoad(service, collection).load(first, n);
        System.out.printf("warm-up load (not measured): %,d vectors in %.1f s = %,.0f vectors/s by a cold service%n", n,
                seconds, n / seconds);
        service.deleteCollection(collection);
    }

    private static Run run(Settings settings, Report report, BenchDatabase db, BenchService service, Dataset dataset,
            BulkLoad.Bodies bodies, String name, Precision precision) throws Exception {
        System.out.printf("%n===== %s, %s =====%n", name, precision.wire());
        String collection = service.createCollection(name, precision);
        double loadSeconds = new BulkLoad(service, collection).load(bodies, settings.vectors());
        report.loaded(settings.vectors(), loadSeconds);
        double buildSeconds = awaitIndex(service, collection);
        BenchDatabase.Loaded loaded = db.settle(collection, settings.vectors());
        try (Searches searches = Searches.open(service, db, loaded.collection(), dataset)) {
            searches.explain();
            PointMeasurement measurement = new PointMeasurement(dataset, db, service);
            // The service's JIT first: on this machine its CPU per search fell from about 1 ms to 0.28 ms over its
            // first ~15,000 searches (20 s of load), long after the short per-point warm-ups below had ended, so a
            // run without this measured the compiler as much as the service.
            double jit = settings.jitWarmup();
            System.out.printf("%nwarm-up: %.0f s of HTTP searches (c=4, ef_search 10) for the service's JIT ...%n", jit);
            if (jit > 0) {
                Point w = measurement.measure(4, jit, searches.http(Settings.EFS.get(0)), true);
                System.out.printf("  %,d searches%n", w.count());
            }
            System.out.printf("warm-up per ef_search ...%n");
            for (int ef : Settings.EFS) {
                measurement.measure(4, Math.max(1, settings.seconds() / 10), searches.http(ef), true);
                measurement.measure(1, 0.5, searches.direct(ef), true);
            }
            double warm = settings.warm();
            double seconds = settings.seconds();
            int high = Settings.HIGH_CONCURRENCY;
            report.tableHeader();
            List<Row> rows = new ArrayList<>();
            // Per ef_search, interleaved so that each comparison shares the same moment of the machine.
            for (int ef : Settings.EFS) {
                Point h1 = report.point("HTTP   c=1  ef=" + ef, measurement.point(1, warm, seconds, searches.http(ef),
                        true, true));
                Point d1 = report.point("direct c=1  ef=" + ef, measurement.point(1, warm, seconds,
                        searches.direct(ef), true, false));
                Point h16 = report.point("HTTP   c=" + high + " ef=" + ef, measurement.point(high, warm, seconds,
                        searches.http(ef), true, true));
                Point d16 = report.point("direct c=" + high + " ef=" + ef, measurement.point(high, warm, seconds,
                        searches.direct(ef), true, false));
                rows.add(new Row(ef, h1, d1, h16, d16));
            }
            // Searches by item_id: the service reads the item's vector in the search statement itself.
            int ef = Settings.BY_ITEM_EF;
            int items = settings.vectors();
            Point i1 = report.point("HTTP   c=1  item ef=" + ef, measurement.point(1, warm, seconds,
                    searches.httpByItem(ef, items), false, true));
            Point j1 = report.point("direct c=1  item ef=" + ef, measurement.point(1, warm, seconds,
                    searches.directByItem(ef, items), false, false));
            Point i16 = report.point("HTTP   c=" + high + " item ef=" + ef, measurement.point(high, warm, seconds,
                    searches.httpByItem(ef, items), false, true));
            Point j16 = report.point("direct c=" + high + " item ef=" + ef, measurement.point(high, warm, seconds,
                    searches.directByItem(ef, items), false, false));
            Point floor = report.point("HTTP   c=1  GET /q/health/live", measurement.point(1, warm, seconds,
                    searches.live(), false, false));
            report.tableFooter();
            service.deleteCollection(collection);
            return new Run(name, precision, settings.vectors(), loadSeconds, buildSeconds, loaded.indexBytes(),
                    loaded.tableBytes(), rows, new Row(ef, i1, j1, i16, j16), floor);
        }
    }

    /** Waits for the service to report the collection's index ready, printing its progress; the seconds it took. */
    private static double awaitIndex(BenchService service, String collection) throws Exception {
        long t0 = System.nanoTime();
        long lastPrint = 0;
        while (true) {
            JsonNode index;
            try {
                index = service.index(collection);
            } catch (HttpTimeoutException e) {
                // A busy machine (the build uses every core) may answer late; the build goes on regardless.
                System.out.printf("  index state not answered in time, asking again (%.0f s)%n",
                        Stopwatch.secondsSince(t0));
                continue;
            }
            String state = index == null ? "ready" : index.path("state").asText();
            if (state.equals("ready")) {
                double s = Stopwatch.secondsSince(t0);
                System.out.printf("index ready %.1f s after the load ended%n", s);
                return s;
            }
            if (System.nanoTime() - lastPrint > 10_000_000_000L) {
                lastPrint = System.nanoTime();
                System.out.printf("  index %s%s, %.0f s%n", state, index.has("progress")
                        ? String.format(" %.0f %%", 100 * index.get("progress").asDouble()) : "",
                        Stopwatch.secondsSince(t0));
            }
            // Each poll counts the collection's items (a scan of the partition): not more often than needed.
            Thread.sleep(2000);
        }
    }
}
