package dev.sightline.retrieval.bench;

import dev.sightline.retrieval.Precision;
import dev.sightline.testsupport.DbScripts;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * The read replica (db/replica.sh, a streaming standby on the same machine): a second service reads from it; its
 * searches are measured, then kept going while the primary is stopped and started again, and the longest time
 * without an answer is reported. One machine cannot show a replica adding read throughput: it shares the cores.
 */
final class ReplicaPhase {

    private static final int VECTORS = 100_000;
    private static final int WORKERS = 4;
    private static final double SECONDS = 30;
    private static final Path LOG = Path.of("target", "bench-db.log");

    private ReplicaPhase() {
    }

    static void run(Settings base, List<String> serviceSettings, BenchDatabase db) throws Exception {
        String replicaUrl = System.getenv().getOrDefault("SIGHTLINE_PG_REPLICA_JDBC_URL",
                "jdbc:postgresql://127.0.0.1:55433/sightline");
        System.out.printf("%n===== read replica (%s) =====%n", replicaUrl);
        // A fresh one, made now: it replays this phase only, not the runs before.
        DbScripts.run(LOG, "replica.sh", "remove");
        DbScripts.run(LOG, "replica.sh", "start");
        try {
            measure(base, serviceSettings, db, replicaUrl);
        } finally {
            DbScripts.run(LOG, "replica.sh", "stop");
        }
    }

    private static void measure(Settings base, List<String> serviceSettings, BenchDatabase db, String replicaUrl)
            throws Exception {
        Settings settings = base.withVectors(Math.min(VECTORS, base.vectors()));
        List<String> options = new ArrayList<>(serviceSettings);
        options.add("-Dsightline.retrieval.replica.jdbc-url=" + replicaUrl);
        Dataset dataset = Dataset.generate(settings, "topics");
        BenchService service = BenchService.start(settings.withServiceOptions(options), db);
        try (BulkLoad.Bodies bodies = BulkLoad.write(dataset.data())) {
            String collection = service.createCollection("replica", Precision.FLOAT16);
            new BulkLoad(service, collection).load(bodies, settings.vectors());
            while (!"ready".equals(service.index(collection).path("state").asText("ready"))) {
                Thread.sleep(500);
            }
            double lag = awaitReplay(db, replicaUrl);
            System.out.printf("the replica replayed the load and the index build %.1f s after the index was ready%n",
                    lag);
            BenchDatabase.Loaded loaded = db.settle(collection, settings.vectors());
            try (Searches searches = Searches.open(service, db, loaded.collection(), dataset)) {
                PointMeasurement m = new PointMeasurement(dataset, db, service);
                m.measure(4, 3, searches.http(40), true);
                Point p1 = m.point(1, 1, settings.seconds(), searches.http(40), true, true);
                Point p16 = m.point(16, 1, settings.seconds(), searches.http(40), true, true);
                System.out.printf("searches on the replica, ef_search 40: c=1 p50 %.2f ms (%.0f QPS, recall %.3f); "
                        + "c=16 %.0f QPS, p50 %.2f ms%n", p1.p50(), p1.qps(), p1.recall(), p16.qps(), p16.p50());
                System.out.printf("service counters: %s%n", service.metricLines("sightline_retrieval_reads_total",
                        "sightline_retrieval_replica_fallbacks_total"));
                restartPrimaryWhileSearching(searches);
                System.out.printf("service counters: %s%n", service.metricLines("sightline_retrieval_reads_total",
                        "sightline_retrieval_replica_fallbacks_total"));
            }
            service.deleteCollection(collection);
        } finally {
            service.cleanup();
        }
    }

    /** Seconds until the replica has replayed everything the primary has written so far. */
    private static double awaitReplay(BenchDatabase db, String replicaUrl) throws Exception {
        long t0 = System.nanoTime();
        String target;
        try (Connection c = db.connect(); Statement st = c.createStatement()) {
            target = BenchDatabase.one(st, "SELECT pg_current_wal_lsn()::text");
        }
        try (Connection r = DriverManager.getConnection(replicaUrl, db.user(), db.password());
                Statement st = r.createStatement()) {
            while (true) {
                try (ResultSet rs = st.executeQuery("SELECT pg_last_wal_replay_lsn() >= '" + target + "'::pg_lsn")) {
                    rs.next();
                    if (rs.getBoolean(1)) {
                        return Stopwatch.secondsSince(t0);
                    }
                }
                Thread.sleep(200);
            }
        }
    }

    /**
     * {@value #WORKERS} clients search for {@value #SECONDS} s; 5 s in, the primary is stopped (pg_ctl -m fast) and
     * started again. Prints the longest time between two answers (over all clients) and the failed searches.
     */
    private static void restartPrimaryWhileSearching(Searches searches) throws Exception {
        Search search = searches.http(40);
        ConcurrentLinkedQueue<Long> answers = new ConcurrentLinkedQueue<>();
        AtomicInteger failures = new AtomicInteger();
        AtomicBoolean stop = new AtomicBoolean();
        AtomicInteger next = new AtomicInteger();
        List<Thread> workers = new ArrayList<>();
        long t0 = System.nanoTime();
        for (int w = 0; w < WORKERS; w++) {
            int worker = w;
            Thread t = new Thread(() -> {
                while (!stop.get()) {
                    try {
                        search.run(worker, next.getAndIncrement() % Settings.QUERIES);
                        answers.add(System.nanoTime());
                    } catch (Exception e) {
                        failures.incrementAndGet();
                    }
                }
            }, "replica-search-" + w);
            t.start();
            workers.add(t);
        }
        Thread.sleep(5_000);
        long down = System.nanoTime();
        DbScripts.run(LOG, "stop.sh");
        long stopped = System.nanoTime();
        DbScripts.run(LOG, "start.sh");
        long up = System.nanoTime();
        Thread.sleep(Math.max(0, (long) (SECONDS * 1000) - (up - t0) / 1_000_000));
        stop.set(true);
        for (Thread t : workers) {
            t.join();
        }
        List<Long> times = new ArrayList<>(answers);
        Collections.sort(times);
        long longest = 0;
        long longestDuringRestart = 0;
        for (int i = 1; i < times.size(); i++) {
            long gap = times.get(i) - times.get(i - 1);
            longest = Math.max(longest, gap);
            if (times.get(i) >= down && times.get(i - 1) <= up) {
                longestDuringRestart = Math.max(longestDuringRestart, gap);
            }
        }
        long during = times.stream().filter(t -> t >= stopped && t <= up).count();
        System.out.printf("primary restart: stopped in %.1f s, started again in %.1f s; %d searches answered while it was"
                + " down; %d failed in all; longest time without an answer: %.0f ms over the whole %.0f s, %.0f ms "
                + "around the restart (%d answers in all)%n", (stopped - down) / 1e9, (up - stopped) / 1e9, during,
                failures.get(), longest / 1e6, SECONDS, longestDuringRestart / 1e6, times.size());
    }
}
