package dev.sightline.gateway.bench;

import java.util.ArrayList;
import java.util.List;
import java.util.Random;

/**
 * Gateway overhead benchmark (not a test): the same searches through the gateway and directly against the internal
 * services ({@link Searches}), measured in the same run against the same freshly started embed-service,
 * retrieval-service and gateway ({@link BenchPlatform}).
 *
 * <p>Both sides share one HTTP client ({@link BenchClient}), prebuilt requests and the same closed loop. Each point
 * is preceded by a warm-up of both sides and measured in alternating one-second slices ({@link PointMeasurement}).
 * CPU time of the client, the gateway and the whole machine is read from /proc around every phase ({@link Cpu}).
 *
 * <p>After loading, the collection's partition is analyzed with psql (SIGHTLINE_PG_* settings of db/env.sh): until
 * autovacuum gets to it, retrieval-service plans exact scans instead of HNSW searches for a new collection.
 *
 * <p>usage: GatewayBenchmark ROOT [seconds-per-point (10)] [vectors (10000)]
 */
public final class GatewayBenchmark {

    /** The collection's vectors and the query vectors come from this one sequence, so every run searches alike. */
    private static final long SEED = 42;

    private GatewayBenchmark() {
    }

    public static void main(String[] args) throws Exception {
        Settings settings = Settings.fromArgs(args);
        Report report = new Report(settings);
        report.header();
        BenchClient client = new BenchClient();
        try (BenchPlatform platform = BenchPlatform.start(settings)) {
            BenchCollection collection = BenchCollection.create(client, platform.retrievalUrl());
            try {
                Random rnd = new Random(SEED);
                collection.load(settings.vectors(), rnd);
                Searches searches = Searches.prebuild(client, platform, collection, rnd);
                analyze(collection, searches, report);
                searches.checkSameAnswers();
                report.sameAnswers();

                Machine machine = new Machine(platform.pids(), settings.cores());
                machine.reportIdle();
                LoadPhase phase = new LoadPhase(client, platform.pids());
                warmUp(settings, phase, searches, report);
                List<Point> points = measure(new PointMeasurement(settings, phase, machine), searches, report);

                report.finished(client.firstError());
                report.tables(points);
            } finally {
                collection.delete();
            }
        }
    }

    /** Analyzes the new collection now, so that every point measures the same plan (HNSW, not an exact scan). */
    private static void analyze(BenchCollection collection, Searches searches, Report report) throws Exception {
        double before = searches.directVectorMedianMs(20);
        String how = collection.analyze();
        report.analyzed(before, searches.directVectorMedianMs(20), how);
    }

    /** JIT warm-up of every path at both concurrencies, once; each point still warms up both of its sides. */
    private static void warmUp(Settings settings, LoadPhase phase, Searches searches, Report report) throws Exception {
        report.warmingUp();
        double half = settings.jitWarmup() / 2;
        for (String query : List.of("vector", "text")) {
            for (Call call : List.of(searches.direct(query), searches.gateway(query))) {
                phase.run(16, half, call);
                phase.run(1, half, call);
            }
        }
    }

    private static List<Point> measure(PointMeasurement measurement, Searches searches, Report report) throws Exception {
        List<Point> points = new ArrayList<>();
        for (String query : List.of("vector", "text")) {
            for (int concurrency : Settings.CONCURRENCY) {
                Point p = measurement.measure(query, concurrency, searches.direct(query), searches.gateway(query));
                points.add(p);
                report.point(p);
            }
        }
        return points;
    }
}
