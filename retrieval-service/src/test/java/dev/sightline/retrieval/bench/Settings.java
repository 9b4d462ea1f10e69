package dev.sightline.retrieval.bench;

import java.nio.file.Path;
import java.util.List;

/**
 * The command line ({@code JAR [vectors (100000)] [seconds-per-point (10)]}), the {@code bench.*} system properties
 * and the benchmark's fixed choices.
 *
 * @param jar retrieval-service's packaged quarkus-run.jar
 * @param vectors points in the collection
 * @param seconds measured seconds per point
 * @param seed {@code bench.seed} (42): the data and the queries
 * @param clusters {@code bench.clusters} (1000)
 * @param spread {@code bench.spread} (0.75): the expected norm of a point's gaussian offset from its unit-length
 *     cluster centre, before normalising
 * @param serviceOptions {@code bench.service.opts}: extra JVM options for the service, space-separated (a profiler)
 * @param dataset {@code bench.dataset} (clusters): {@code clusters}, flat gaussian clusters (a hard case: neighbours
 *     nearly equidistant), or {@code topics}, topics → sub-topics → items with near-duplicates, whose near neighbours
 *     stand out from the crowd as in real CLIP collections (see {@link Dataset})
 */
record Settings(Path jar, int vectors, double seconds, long seed, int clusters, double spread,
        List<String> serviceOptions, String dataset) {

    static final String USAGE = "usage: RetrievalBenchmark JAR [vectors] [seconds-per-point]";
    static final String TENANT = "bench";
    static final int DIM = 512;
    static final int TOP_K = 10;
    static final int QUERIES = 200;
    /** Items per upsert while loading, and how many upserts run at once. */
    static final int BATCH = 1000;
    static final int UPLOADERS = 4;
    static final List<Integer> EFS = List.of(10, 20, 40, 80, 160);
    static final int HIGH_CONCURRENCY = 16;
    /** The ef_search of the points measured only once (the service's default). */
    static final int DEFAULT_EF = 40;

    static Settings fromArgs(String[] args) {
        String opts = System.getProperty("bench.service.opts", "").trim();
        return new Settings(Path.of(args[0]), args.length > 1 ? Integer.parseInt(args[1]) : 100_000,
                args.length > 2 ? Double.parseDouble(args[2]) : 10, Long.getLong("bench.seed", 42),
                Integer.getInteger("bench.clusters", 1000),
                Double.parseDouble(System.getProperty("bench.spread", "0.75")),
                opts.isEmpty() ? List.of() : List.of(opts.split("\\s+")), datasetProperty());
    }

    private static String datasetProperty() {
        String d = System.getProperty("bench.dataset", "clusters");
        if (!d.equals("clusters") && !d.equals("topics")) {
            throw new IllegalArgumentException("bench.dataset must be clusters or topics, not " + d);
        }
        return d;
    }

    /** Unmeasured seconds before each point. */
    double warm() {
        return Math.min(1, Math.max(0.5, seconds / 10));
    }
}
