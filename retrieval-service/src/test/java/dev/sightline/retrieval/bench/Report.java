package dev.sightline.retrieval.bench;

import dev.sightline.retrieval.Collection;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Comparator;
import java.util.List;

/** What the benchmark prints: the set-up, the table of points as they are measured, and the summary at the end. */
final class Report {

    private final Settings settings;
    private final int cores;

    Report(Settings settings, int cores) {
        this.settings = settings;
        this.cores = cores;
    }

    void header() {
        System.out.printf("retrieval-service benchmark: %d cores, java %s, %d vectors x %d dims, %d queries, "
                + "%.0f s per point%n", cores, Runtime.version(), settings.vectors(), Settings.DIM, Settings.QUERIES,
                settings.seconds());
        System.out.printf("load average before: %s (other work on the machine skews every number below)%n", loadavg());
    }

    void loaded(double loadSeconds) {
        int n = settings.vectors();
        System.out.printf("bulk load: %d vectors in %.1f s = %.0f vectors/s (%d uploaders, batches of %d, HNSW index "
                + "maintained during the load)%n", n, loadSeconds, n / loadSeconds, Settings.UPLOADERS, Settings.BATCH);
    }

    void warmingUp() {
        System.out.printf("%nwarm-up ...%n");
    }

    void tableHeader(String checkpoints) {
        System.out.printf("%nload average before the search points: %s; checkpoints so far: %s%n", loadavg(),
                checkpoints);
        System.out.printf("%n%-32s %8s %9s %9s %9s %10s %11s %11s%n", "point", "queries", "QPS", "p50 ms", "p99 ms",
                "recall@10", "server ms*", "WAL syncs*");
    }

    Point point(String label, Point p) {
        System.out.printf("%-32s %8d %9.1f %9.2f %9.2f %10s %11s %11s%n", label, p.count(), p.qps(), p.p50(), p.p99(),
                fmt("%.4f", p.recall()), fmt("%.2f", p.serverMs()), fmt("%.2f", p.walSyncs()));
        return p;
    }

    void tableFooter(String checkpoints) {
        System.out.printf("* server ms: mean time per search inside the service (its Micrometer "
                + "http_server_requests_seconds over the point); WAL syncs: pg_stat_wal.wal_sync per query over "
                + "the point (approximate: cluster-wide, so other clients of the cluster count too, and backends "
                + "report it with up to ~1 s delay).%n");
        System.out.printf("load average after the search points: %s; checkpoints so far: %s (one running "
                + "during a point slows the WAL flush of every service search)%n", loadavg(), checkpoints);
    }

    void summary(double loadSeconds, double reindexSeconds, Collection col, List<Row> rows, Point d16, Point l16,
            Point floor) {
        int n = settings.vectors();
        System.out.printf("%n## Retrieval benchmark (retrieval-service/bench/run.sh)%n%n");
        System.out.printf("- Dataset: %,d synthetic unit vectors, dimension %d, %s; %d held-out queries; exact top-%d "
                + "by brute force.%n", n, Settings.DIM, Dataset.description(settings), Settings.QUERIES, Settings.TOP_K);
        System.out.printf("- Machine: %d cores shared by the benchmark client, the service and PostgreSQL 15 + "
                + "pgvector 0.8 (fsync and synchronous_commit on); HNSW m=%d, ef_construction=%d.%n", cores, col.hnswM(),
                col.hnswEfConstruction());
        System.out.printf("- Bulk load over HTTP (%d uploaders, batches of %d, index maintained): %.1f s, %.0f vectors/s."
                + "%n", Settings.UPLOADERS, Settings.BATCH, loadSeconds, n / loadSeconds);
        System.out.printf("- Index build (`REINDEX INDEX`, full rebuild, maintenance_work_mem 512MB): %.1f s.%n",
                reindexSeconds);
        System.out.printf("- top_k %d; every point measured after a warm-up; recall@10 is the mean over every query "
                + "issued in the HTTP c=1 point; direct = the service's set_config + search SQL over JDBC, one "
                + "transaction per query; direct+lock = that plus the service's `SELECT ... FOR SHARE` of the "
                + "collection row.%n%n", Settings.TOP_K);
        System.out.println("| ef_search | recall@10 | HTTP c=1 QPS | p50 ms | p99 ms | HTTP c=16 QPS | p50 ms | p99 ms "
                + "| direct c=1 p50 ms | service/direct p50 | direct+lock c=1 p50 ms | service/direct+lock p50 |");
        System.out.println("|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|");
        for (Row r : rows) {
            System.out.printf("| %d | %.3f | %.0f | %.2f | %.2f | %.0f | %.2f | %.2f | %.2f | %.2fx | %.2f | %.2fx |%n",
                    r.ef(), r.http1().recall(), r.http1().qps(), r.http1().p50(), r.http1().p99(), r.http16().qps(),
                    r.http16().p50(), r.http16().p99(), r.direct1().p50(), r.http1().p50() / r.direct1().p50(),
                    r.locked1().p50(), r.http1().p50() / r.locked1().p50());
        }
        Row at40 = rows.stream().filter(r -> r.ef() == Settings.DEFAULT_EF).findFirst().orElse(rows.get(0));
        System.out.printf("%nAt ef_search 40, c=%d: HTTP %.0f QPS (p50 %.2f ms), direct %.0f QPS (p50 %.2f ms), "
                + "direct+lock %.0f QPS (p50 %.2f ms).%n", Settings.HIGH_CONCURRENCY, at40.http16().qps(),
                at40.http16().p50(), d16.qps(), d16.p50(), l16.qps(), l16.p50());
        System.out.printf("WAL syncs per query at ef_search 40, c=1 (pg_stat_wal, cluster-wide, approximate): HTTP %s, "
                + "direct %s, direct+lock %s; service-side mean time per search %s ms vs client p50 %.2f ms.%n",
                fmt("%.2f", at40.http1().walSyncs()), fmt("%.2f", at40.direct1().walSyncs()),
                fmt("%.2f", at40.locked1().walSyncs()), fmt("%.2f", at40.http1().serverMs()), at40.http1().p50());
        System.out.printf("HTTP floor (GET /q/health/live, no database, same client) at c=1: p50 %.2f ms, p99 %.2f ms."
                + "%n", floor.p50(), floor.p99());
        Row best = rows.stream().filter(r -> r.http1().recall() >= 0.95 && r.http1().p50() <= 5)
                .min(Comparator.comparingDouble(r -> r.http1().p50()))
                .orElse(rows.stream().filter(r -> r.http1().recall() >= 0.95).findFirst().orElse(null));
        System.out.printf("%nTargets: recall@10 >= 0.95 at p50 <= 5 ms (HTTP c=1): %s. Service <= 1.5x direct p50: "
                + "%s.%n", best == null ? "NOT MET (no ef_search reaches recall 0.95)"
                        : String.format("ef_search %d gives recall %.3f at p50 %.2f ms -> %s", best.ef(),
                                best.http1().recall(), best.http1().p50(), best.http1().p50() <= 5 ? "met" : "NOT MET"),
                rows.stream().allMatch(r -> r.http1().p50() <= 1.5 * r.direct1().p50()) ? "met at every ef_search"
                        : "NOT MET at ef_search " + rows.stream().filter(r -> r.http1().p50() > 1.5 * r.direct1().p50())
                                .map(r -> Integer.toString(r.ef())).toList());
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
}
