package dev.sightline.gateway.bench;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Locale;
import java.util.Optional;

/** What the benchmark prints: the set-up, a line per point as it is measured, and the tables at the end. */
final class Report {

    private final Settings settings;

    Report(Settings settings) {
        this.settings = settings;
    }

    void header() throws IOException {
        System.out.printf(Locale.ROOT, "gateway benchmark: %d cores, %.0f s per point and side (+ %.0f s warm-up per side), "
                + "%d vectors of %d dimensions, top_k %d, java %s%n", settings.cores(), settings.seconds(),
                settings.warmup(), settings.vectors(), Settings.DIM, Settings.TOP_K, System.getProperty("java.version"));
        System.out.println("load average before start: " + loadAverage());
    }

    void analyzed(double beforeMs, double afterMs, String how) {
        System.out.printf(Locale.ROOT, "direct search, median of 20: %.2f ms before ANALYZE, %.2f ms after (%s)%n", beforeMs,
                afterMs, how);
    }

    void sameAnswers() {
        System.out.println("sanity: gateway and direct return the same top-10 ids for vector and text queries");
    }

    void warmingUp() {
        System.out.printf(Locale.ROOT, "warming up all paths (%.0f s each)...%n", settings.jitWarmup());
    }

    void point(Point p) {
        System.out.printf(Locale.ROOT, "  %s c=%d: direct %.0f req/s p50 %.2f ms | gateway %.0f req/s p50 %.2f ms%n",
                p.query(), p.concurrency(), p.direct().rate(), p.direct().pct(0.5), p.gateway().rate(),
                p.gateway().pct(0.5));
    }

    void finished(Optional<String> firstError) throws IOException {
        System.out.println("load average after the run: " + loadAverage());
        firstError.ifPresent(e -> System.out.println("first error seen: " + e));
    }

    void tables(List<Point> points) {
        int cores = settings.cores();
        System.out.printf(Locale.ROOT, "%n### Gateway overhead (%d-core machine, %,d vectors of %d dimensions, top_k %d, "
                + "%.0f s per point and side)%n%n", cores, settings.vectors(), Settings.DIM, Settings.TOP_K,
                settings.seconds());
        System.out.println("| query | concurrency | path | req/s | mean ms | p50 ms | p99 ms | errors | CPU ms/req: client "
                + "| gateway | embed + retrieval | machine | busy: machine | PostgreSQL | other processes |");
        System.out.println("|---|---:|---|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|");
        for (Point p : points) {
            row(p.query(), p.concurrency(), "direct", p.direct(), cores);
            row(p.query(), p.concurrency(), "gateway", p.gateway(), cores);
        }
        System.out.println();
        System.out.println("| query | concurrency | added p50 ms | added p99 ms | throughput gateway/direct "
                + "| gateway CPU ms/req (JIT part) | targets (vector: ≤ 1 ms p50, ≥ 0.90) |");
        System.out.println("|---|---:|---:|---:|---:|---:|---|");
        for (Point p : points) {
            Result g = p.gateway();
            double added = g.pct(0.5) - p.direct().pct(0.5);
            double ratio = g.rate() / p.direct().rate();
            String target = !p.query().equals("vector") ? "n/a"
                    : (added <= 1.0 ? "p50 met" : "p50 missed") + ", " + (ratio >= 0.90 ? "throughput met" : "throughput missed");
            System.out.printf(Locale.ROOT, "| %s | %d | %+.2f | %+.2f | %.2f | %.2f (%.2f) | %s |%n", p.query(),
                    p.concurrency(), added, g.pct(0.99) - p.direct().pct(0.99), ratio, g.cpuMs(g.cpu().gateway()),
                    g.cpuMs(g.cpu().gatewayJit()), target);
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
        CpuUse cpu = r.cpu();
        System.out.printf(Locale.ROOT, "| %s | %d | %s | %.0f | %.2f | %.2f | %.2f | %d | %.2f | %.2f | %.2f | %.2f "
                + "| %.0f%% | %.0f%% | %.0f%% |%n", query, c, path, r.rate(), r.mean(), r.pct(0.5), r.pct(0.99), r.errors(),
                r.cpuMs(cpu.client()), r.cpuMs(cpu.gateway()), r.cpuMs(cpu.services()), r.cpuMs(cpu.machine()),
                r.busy(cpu.machine(), cores), r.busy(cpu.postgres(), cores), r.busy(cpu.others(), cores));
    }

    private static String loadAverage() throws IOException {
        return Files.readString(Path.of("/proc/loadavg")).strip();
    }
}
