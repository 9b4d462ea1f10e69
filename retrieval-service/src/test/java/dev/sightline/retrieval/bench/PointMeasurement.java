package dev.sightline.retrieval.bench;

import dev.sightline.testsupport.ClosedLoop;
import dev.sightline.testsupport.ClosedLoop.LateAnswers;
import dev.sightline.testsupport.Latencies;
import java.util.Arrays;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * Measures points: closed-loop searches cycling through the queries, each answer scored against the exact top-k,
 * with the cluster's WAL syncs and, for HTTP searches, the service's own time per search over the same interval.
 */
final class PointMeasurement {

    private final Dataset dataset;
    private final BenchDatabase db;
    private final BenchService service;

    PointMeasurement(Dataset dataset, BenchDatabase db, BenchService service) {
        this.dataset = dataset;
        this.db = db;
        this.service = service;
    }

    /**
     * A measured point after {@code warm} unmeasured seconds. {@code scored}: whether the answers are ids to score
     * for recall; {@code http}: whether to read the service's metrics around it.
     */
    Point point(int concurrency, double warm, double seconds, Search search, boolean scored, boolean http)
            throws Exception {
        if (warm > 0) {
            measure(concurrency, warm, search, scored);
        }
        double[] before = http ? service.searchTotals() : null;
        long syncs = db.walSyncs();
        Point p = measure(concurrency, seconds, search, scored);
        double walPerQuery = (db.walSyncs() - syncs) / (double) Math.max(1, p.count());
        double mean = Double.NaN;
        if (http) {
            double[] after = service.searchTotals();
            double count = after[1] - before[1];
            mean = count > 0 ? (after[0] - before[0]) / count * 1e3 : Double.NaN;
        }
        return new Point(p.concurrency(), p.count(), p.qps(), p.p50(), p.p99(), p.recall(), mean,
                syncs < 0 ? Double.NaN : walPerQuery);
    }

    /**
     * {@code concurrency} workers, each issuing one query after another (together cycling through the queries), for
     * {@code seconds}; every answer counts, also those arriving after the window.
     */
    Point measure(int concurrency, double seconds, Search search, boolean scored) throws Exception {
        AtomicInteger next = new AtomicInteger();
        // One sum per worker, each written by its worker alone: no contention on the hot path.
        double[] recallByWorker = new double[concurrency];
        ClosedLoop.Run run = ClosedLoop.run(concurrency, seconds, LateAnswers.COUNTED, (worker, n) -> {
            int q = next.getAndIncrement() % Settings.QUERIES;
            int[] ids = search.run(worker, q);
            recallByWorker[worker] += scored ? dataset.recall(ids, q) : 0;
            return true;
        });
        double recallSum = Arrays.stream(recallByWorker).sum();
        Latencies lat = run.latencies();
        return new Point(concurrency, lat.count(), lat.count() / run.seconds(), lat.nearestRankMs(0.50),
                lat.nearestRankMs(0.99), !scored || lat.count() == 0 ? Double.NaN : recallSum / lat.count(),
                Double.NaN, Double.NaN);
    }
}
