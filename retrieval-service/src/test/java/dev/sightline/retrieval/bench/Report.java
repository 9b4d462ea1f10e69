package dev.sightline.retrieval.bench;

import dev.sightline.retrieval.Precision;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/** What the benchmark prints: the set-up, the points as they are measured, each run's table and the summary. */
final class Report {

    private final Settings settings;
    private final int cores;
    private final List<String> serviceSettings;

    Report(Settings settings, int cores, List<String> serviceSettings) {
        this.settings = settings;
        this.cores = cores;
        this.serviceSettings = serviceSettings;
    }

    void header() {
        System.out.printf("retrieval-service benchmark: %d cores, java %s, %,d vectors x %d dims per collection, data "
                + "sets %s, precisions %s, %d queries, %.0f s per point%n", cores, Runtime.version(), settings.vectors(),
                Settings.DIM, settings.datasets(), settings.precisions().stream().map(Precision::wire).toList(),
                Settings.QUERIES, settings.seconds());
        System.out.printf("service settings: %s%n", String.join(" ", serviceSettings));
        if (!System.getProperty("bench.placement", "").isEmpty()) {
            System.out.printf("placement: %s%n", System.getProperty("bench.placement"));
        }
        System.out.printf("load average before: %s (other work on the machine skews every number below)%n", loadavg());
    }

    void loaded(int n, double seconds) {
        System.out.printf("bulk load: %,d vectors in %.1f s = %,.0f vectors/s (%d uploaders, %,d items per NDJSON "
                + "request, binary COPY; the empty collection's index is left out and built after the load)%n", n,
                seconds, n / seconds, Settings.UPLOADERS, Settings.BATCH);
    }

    void tableHeader() {
        System.out.printf("%nload average before the search points: %s%n", loadavg());
        System.out.printf("%-30s %8s %9s %9s %9s %10s %11s%n", "point", "queries", "QPS", "p50 ms", "p99 ms",
                "recall@10", "server ms*");
    }

    Point point(String label, Point p) {
        System.out.printf("%-30s %8d %9.1f %9.2f %9.2f %10s %11s%n", label, p.count(), p.qps(), p.p50(), p.p99(),
                fmt("%.4f", p.recall()), fmt("%.2f", p.serverMs()));
        return p;
    }

    void tableFooter() {
        System.out.printf("* server ms: mean time per search inside the service (its Micrometer "
                + "http_server_requests_seconds over the point).%n");
        System.out.printf("load average after the search points: %s%n", loadavg());
    }

    /** One run's markdown table. */
    void run(Run r, Dataset data) {
        System.out.printf("%n### %s, %s, %,d vectors%n%n", r.dataset(), r.precision().wire(), r.vectors());
        System.out.printf("- Data: %s; mean cosine of a query to its 1st / 10th exact neighbour / a random point: "
                + "%.3f / %.3f / %.3f; local intrinsic dimension %.1f.%n", Dataset.description(settings, r.dataset()),
                data.profile()[0], data.profile()[1], data.profile()[2], data.profile()[3]);
        System.out.printf("- Bulk load through the service: %.1f s, **%,.0f vectors/s**. Index build after the load "
                + "(CREATE INDEX CONCURRENTLY by the service): %.1f s. HNSW index %s; partition with every index %s.%n",
                r.loadSeconds(), r.loadRate(), r.buildSeconds(), BenchDatabase.mib(r.indexBytes()),
                BenchDatabase.mib(r.tableBytes()));
        System.out.printf("- HTTP floor (GET /q/health/live, same client, c=1): p50 %.2f ms.%n%n", r.floor().p50());
        System.out.println("| ef_search | recall@10 | HTTP c=1 p50 ms | p99 ms | direct c=1 p50 ms | service/direct p50 "
                + "| HTTP c=16 QPS | direct c=16 QPS | service/direct QPS |");
        System.out.println("|---:|---:|---:|---:|---:|---:|---:|---:|---:|");
        for (Row row : r.rows()) {
            System.out.printf("| %d | %.3f | %.2f | %.2f | %.2f | %.2fx | %.0f | %.0f | %.2f |%n", row.ef(),
                    row.http1().recall(), row.http1().p50(), row.http1().p99(), row.direct1().p50(),
                    row.http1().p50() / row.direct1().p50(), row.http16().qps(), row.direct16().qps(),
                    row.http16().qps() / row.direct16().qps());
        }
        Row i = r.byItem();
        System.out.printf("%n- By item_id (ef_search %d; not scored, a stored item has no held-out truth): HTTP c=1 "
                + "p50 %.2f ms, direct %.2f ms, service/direct **%.2fx**; c=16 QPS %.0f / %.0f = **%.2f**.%n", i.ef(),
                i.http1().p50(), i.direct1().p50(), i.http1().p50() / i.direct1().p50(), i.http16().qps(),
                i.direct16().qps(), i.http16().qps() / i.direct16().qps());
    }

    /**
     * Every run side by side, and the targets, met or not; {@code exactHalf}: per data set, recall@10 of an
     * exact search over its float16-rounded vectors ({@link Dataset#exactRecallInFloat16()}).
     */
    void summary(List<Run> runs, Map<String, Double> exactHalf) {
        String placement = System.getProperty("bench.placement", "");
        System.out.printf("%n## Summary (%,d vectors, %s)%n%n", settings.vectors(), placement.isEmpty()
                ? cores + " cores shared by the client, the service and PostgreSQL" : placement);
        System.out.println("| data set | precision | load vectors/s | index build s | index MiB | recall@10 by ef_search "
                + Settings.EFS + " |");
        System.out.println("|---|---|---:|---:|---:|---|");
        for (Run r : runs) {
            List<String> recalls = new ArrayList<>();
            r.rows().forEach(row -> recalls.add(String.format("%.3f", row.http1().recall())));
            System.out.printf("| %s | %s | %,.0f | %.1f | %,.0f | %s |%n", r.dataset(), r.precision().wire(),
                    r.loadRate(), r.buildSeconds(), r.indexBytes() / 1048576.0, String.join(" / ", recalls));
        }
        System.out.printf("%nTargets:%n");
        for (Run r : runs) {
            System.out.printf("- %s %s: bulk ingest >= 20,000 vectors/s: %,.0f -> %s%n", r.dataset(),
                    r.precision().wire(), r.loadRate(), r.loadRate() >= 20_000 ? "met" : "MISSED");
        }
        for (String d : settings.datasets()) {
            Optional<Run> full = find(runs, d, Precision.FLOAT32);
            Optional<Run> half = find(runs, d, Precision.FLOAT16);
            if (full.isPresent() && half.isPresent()) {
                double ratio = half.get().indexBytes() / (double) full.get().indexBytes();
                double worst = 0;
                for (int ef : Settings.EFS) {
                    worst = Math.max(worst, Math.abs(full.get().at(ef).http1().recall()
                            - half.get().at(ef).http1().recall()));
                }
                System.out.printf("- %s: float16 index <= 0.55 x float32 at recall within 0.01: size %.3f x, largest "
                        + "recall difference (either way) %.4f -> %s%n", d, ratio, worst,
                        ratio <= 0.55 && worst <= 0.01 ? "met" : "MISSED");
            }
            Double exact = exactHalf.get(d);
            if (exact != null) {
                // The precision alone, apart from the build: the HNSW comparison above also carries the difference
                // between two randomised graphs.
                System.out.printf("- %s: float16 values alone (exact search over them) within 0.01 of float32's "
                        + "recall@10: %.4f -> %s%n", d, exact, exact >= 0.99 ? "met" : "MISSED");
            }
        }
        for (Run r : runs) {
            if (r.dataset().equals("topics")) {
                Optional<Row> best = r.rows().stream().filter(row -> row.http1().recall() >= 0.95).findFirst();
                System.out.printf("- topics %s: recall@10 >= 0.95 at p50 <= 5 ms (HTTP c=1): %s%n", r.precision().wire(),
                        best.map(row -> String.format("ef_search %d, recall %.3f, p50 %.2f ms -> %s", row.ef(),
                                row.http1().recall(), row.http1().p50(), row.http1().p50() <= 5 ? "met" : "MISSED"))
                                .orElse("MISSED (no ef_search reaches 0.95)"));
            }
            List<Integer> slow = new ArrayList<>();
            List<Integer> fewer = new ArrayList<>();
            double worstP50 = 0;
            double worstQps = Double.MAX_VALUE;
            for (Row row : r.rows()) {
                double p = row.http1().p50() / row.direct1().p50();
                double q = row.http16().qps() / row.direct16().qps();
                worstP50 = Math.max(worstP50, p);
                worstQps = Math.min(worstQps, q);
                if (p > 1.2) {
                    slow.add(row.ef());
                }
                if (q < 0.9) {
                    fewer.add(row.ef());
                }
            }
            System.out.printf("- %s %s: service p50 <= 1.2 x direct (worst %.2f x): %s; service QPS at c=16 >= 0.9 x "
                    + "direct (worst %.2f): %s%n", r.dataset(), r.precision().wire(), worstP50,
                    slow.isEmpty() ? "met at every ef_search" : "MISSED at ef_search " + slow, worstQps,
                    fewer.isEmpty() ? "met at every ef_search" : "MISSED at ef_search " + fewer);
            Row i = r.byItem();
            double p = i.http1().p50() / i.direct1().p50();
            double q = i.http16().qps() / i.direct16().qps();
            System.out.printf("- %s %s, by item_id at ef_search %d: p50 %.2f x direct -> %s; c=16 QPS %.2f x direct "
                    + "-> %s%n", r.dataset(), r.precision().wire(), i.ef(), p, p <= 1.2 ? "met" : "MISSED", q,
                    q >= 0.9 ? "met" : "MISSED");
        }
    }

    private static Optional<Run> find(List<Run> runs, String dataset, Precision p) {
        return runs.stream().filter(r -> r.dataset().equals(dataset) && r.precision() == p).findFirst();
    }

    private static String fmt(String format, double v) {
        return Double.isNaN(v) ? "" : String.format(format, v);
    }

    static String loadavg() {
        try {
            String[] f = Files.readString(Path.of("/proc/loadavg")).trim().split(" ");
            return f[0] + " " + f[1] + " " + f[2];
        } catch (IOException | RuntimeException e) {
            return "n/a";
        }
    }
}
