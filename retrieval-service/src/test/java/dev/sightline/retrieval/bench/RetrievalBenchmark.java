package dev.sightline.retrieval.bench;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * retrieval-service benchmark (a command, not a test): bulk load, HNSW index rebuild, and top-10 search over HTTP
 * at several ef_search values and concurrencies (QPS, p50, p99, recall@10 against brute-force ground truth),
 * against the same SQL issued directly over JDBC in the same run.
 *
 * <p>usage: RetrievalBenchmark JAR [vectors (100000)] [seconds-per-point (10)]
 *
 * <p>System properties: {@code bench.seed} (42), {@code bench.clusters} (1000), {@code bench.spread} (0.75),
 * {@code bench.service.opts} (see {@link Settings}). The database is {@code SIGHTLINE_PG_JDBC_URL} /
 * {@code SIGHTLINE_PG_USER} / {@code SIGHTLINE_PG_PASSWORD} (default the db/start.sh cluster); the service inherits
 * the same environment.
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
        Report report = new Report(settings, Runtime.getRuntime().availableProcessors());
        BenchDatabase db = BenchDatabase.fromEnvironment();
        report.header();
        db.describe();

        Dataset dataset = Dataset.generate(settings);
        BenchService service = BenchService.start(settings, db);
        try {
            String collection = service.createCollection();
            double loadSeconds = new BulkLoad(service, collection).load(dataset.data());
            report.loaded(loadSeconds);
            BenchDatabase.IndexBuild build = db.rebuildIndex(collection, settings.vectors());
            try (Searches searches = Searches.open(service, db, build.collection(), dataset)) {
                searches.explain();
                PointMeasurement measurement = new PointMeasurement(dataset, db, service);
                warmUp(settings, measurement, searches, report);
                measureAndSummarise(settings, measurement, searches, report, db, loadSeconds, build);
            }
        } finally {
            service.cleanup();
        }
    }

    /** JIT of the service and of this process, the index and table in the caches. */
    private static void warmUp(Settings settings, PointMeasurement measurement, Searches searches, Report report)
            throws Exception {
        report.warmingUp();
        for (int ef : Settings.EFS) {
            measurement.measure(4, Math.max(1, settings.seconds() / 10), searches.http(ef), true);
            measurement.measure(1, 0.5, searches.direct(ef, false), true);
        }
    }

    /**
     * Per ef_search, interleaved so that each comparison shares the same moment of the machine: HTTP at c=1 and
     * c=16, the service's SQL directly at c=1, and that plus the service's row lock at c=1; then the direct paths at
     * c=16 and the HTTP floor.
     */
    private static void measureAndSummarise(Settings settings, PointMeasurement measurement, Searches searches,
            Report report, BenchDatabase db, double loadSeconds, BenchDatabase.IndexBuild build) throws Exception {
        double warm = settings.warm();
        double seconds = settings.seconds();
        int high = Settings.HIGH_CONCURRENCY;
        report.tableHeader(db.checkpoints());
        List<Row> rows = new ArrayList<>();
        for (int ef : Settings.EFS) {
            Point h1 = report.point("HTTP        c=1  ef=" + ef,
                    measurement.point(1, warm, seconds, searches.http(ef), true, true));
            Point h16 = report.point("HTTP        c=" + high + " ef=" + ef,
                    measurement.point(high, warm, seconds, searches.http(ef), true, true));
            Point d1 = report.point("direct      c=1  ef=" + ef,
                    measurement.point(1, warm, seconds, searches.direct(ef, false), true, false));
            Point l1 = report.point("direct+lock c=1  ef=" + ef,
                    measurement.point(1, warm, seconds, searches.direct(ef, true), true, false));
            rows.add(new Row(ef, h1, h16, d1, l1));
        }
        int ef = Settings.DEFAULT_EF;
        Point d16 = report.point("direct      c=" + high + " ef=" + ef,
                measurement.point(high, warm, seconds, searches.direct(ef, false), true, false));
        Point l16 = report.point("direct+lock c=" + high + " ef=" + ef,
                measurement.point(high, warm, seconds, searches.direct(ef, true), true, false));
        Point floor = report.point("HTTP        c=1  GET /q/health/live",
                measurement.point(1, warm, seconds, searches.live(), false, false));
        report.tableFooter(db.checkpoints());
        report.summary(loadSeconds, build.reindexSeconds(), build.collection(), rows, d16, l16, floor);
    }
}
