package dev.sightline.retrieval.bench;

import dev.sightline.retrieval.Precision;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * The command line and the {@code bench.*} system properties, and the benchmark's fixed choices.
 *
 * @param jar retrieval-service's packaged quarkus-run.jar
 * @param vectors points in each collection ({@code --vectors}, 100000)
 * @param seconds measured seconds per point ({@code --seconds}, 10)
 * @param seed {@code bench.seed} (42): the data and the queries
 * @param clusters {@code bench.clusters} (1000), for the clusters set
 * @param spread {@code bench.spread} (0.75): the expected norm of a point's gaussian offset from its unit-length
 *     cluster centre, before normalising
 * @param serviceOptions {@code bench.service.opts}: extra JVM options for the service, space-separated (a profiler)
 * @param datasets {@code --dataset clusters|topics|both} (both): {@code clusters}, flat gaussian clusters (a hard
 *     case: neighbours nearly equidistant), {@code topics}, topics → sub-topics → items with near-duplicates, whose
 *     near neighbours stand out from the crowd as in real CLIP collections (see {@link Dataset})
 * @param precisions {@code --precision float32|float16|both} (both): one collection of each per data set
 * @param replica {@code --replica}: then also the read-replica phase ({@link ReplicaPhase}; bench/run.sh starts
 *     db/replica.sh for it)
 * @param hnswM {@code --hnsw-m N}: the collections' HNSW m (null: the service's default, 16)
 * @param efConstruction {@code --ef-construction N}: their ef_construction (null: the service's default)
 */
record Settings(Path jar, int vectors, double seconds, long seed, int clusters, double spread,
        List<String> serviceOptions, List<String> datasets, List<Precision> precisions, boolean replica,
        Integer hnswM, Integer efConstruction) {

    static final String USAGE = "usage: RetrievalBenchmark JAR [--vectors N (100000)] [--seconds S (10, per point)]"
            + " [--dataset clusters|topics|both (both)] [--precision float32|float16|both (both)] [--replica]"
            + " [--hnsw-m N (16)] [--ef-construction N (128)]";
    static final String TENANT = "bench";
    static final int DIM = 512;
    static final int TOP_K = 10;
    static final int QUERIES = 200;
    /** Items per bulk request while loading, and how many requests run at once. */
    static final int BATCH = 10_000;
    static final int UPLOADERS = 2;
    /** The ef_search of the searches by item_id (one point per concurrency, after the grid). */
    static final int BY_ITEM_EF = 40;

    static final List<Integer> EFS = List.of(10, 20, 40, 80, 120, 140, 160, 200, 240, 320, 640);
    static final int HIGH_CONCURRENCY = 16;

    static Settings fromArgs(String[] args) {
        String opts = System.getProperty("bench.service.opts", "").trim();
        int vectors = 100_000;
        double seconds = 10;
        String dataset = "both";
        String precision = "both";
        boolean replica = false;
        Integer m = null;
        Integer ef = null;
        List<String> positional = new ArrayList<>();
        for (int i = 1; i < args.length; i++) {
            switch (args[i]) {
                case "--vectors" -> vectors = Integer.parseInt(value(args, ++i));
                case "--seconds" -> seconds = Double.parseDouble(value(args, ++i));
                case "--dataset" -> dataset = value(args, ++i);
                case "--precision" -> precision = value(args, ++i);
                case "--replica" -> replica = true;
                case "--hnsw-m" -> m = Integer.parseInt(value(args, ++i));
                case "--ef-construction" -> ef = Integer.parseInt(value(args, ++i));
                default -> positional.add(args[i]);
            }
        }
        // The older positional form: [vectors] [seconds].
        if (!positional.isEmpty()) {
            vectors = Integer.parseInt(positional.get(0));
        }
        if (positional.size() > 1) {
            seconds = Double.parseDouble(positional.get(1));
        }
        return new Settings(Path.of(args[0]), vectors, seconds, Long.getLong("bench.seed", 42),
                Integer.getInteger("bench.clusters", 1000),
                Double.parseDouble(System.getProperty("bench.spread", "0.75")),
                opts.isEmpty() ? List.of() : List.of(opts.split("\\s+")), datasets(dataset), precisions(precision),
                replica, m, ef);
    }

    private static String value(String[] args, int i) {
        if (i >= args.length) {
            throw new IllegalArgumentException(USAGE);
        }
        return args[i];
    }

    private static List<String> datasets(String d) {
        return switch (d) {
            case "both" -> List.of("topics", "clusters");
            case "clusters", "topics" -> List.of(d);
            default -> throw new IllegalArgumentException("--dataset must be clusters, topics or both, not " + d);
        };
    }

    private static List<Precision> precisions(String p) {
        return p.equals("both") ? List.of(Precision.FLOAT32, Precision.FLOAT16) : List.of(Precision.of(p));
    }

    Settings withServiceOptions(List<String> options) {
        return new Settings(jar, vectors, seconds, seed, clusters, spread, List.copyOf(options), datasets, precisions,
                replica, hnswM, efConstruction);
    }

    Settings withVectors(int n) {
        return new Settings(jar, n, seconds, seed, clusters, spread, serviceOptions, datasets, precisions, replica,
                hnswM, efConstruction);
    }

    /** The {@code "hnsw"} member of a collection's creation, or "" for the service's defaults. */
    String hnswJson() {
        if (hnswM == null && efConstruction == null) {
            return "";
        }
        return ",\"hnsw\":{" + (hnswM == null ? "" : "\"m\":" + hnswM) + (hnswM != null && efConstruction != null
                ? "," : "") + (efConstruction == null ? "" : "\"ef_construction\":" + efConstruction) + "}";
    }

    /**
     * Seconds of HTTP searches before each collection's first point, for the service's JIT ({@code bench.jit-warmup}, default 30; 0 to
     * skip).
     */
    double jitWarmup() {
        return Double.parseDouble(System.getProperty("bench.jit-warmup", "30"));
    }

    /** Unmeasured seconds before each point. */
    double warm() {
        return Math.min(1, Math.max(0.5, seconds / 10));
    }
}
