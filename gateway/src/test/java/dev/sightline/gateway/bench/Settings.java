package dev.sightline.gateway.bench;

import java.nio.file.Path;
import java.util.List;

/**
 * The command line ({@code ROOT [seconds-per-point (10)] [vectors (10000)]}) and the benchmark's fixed choices.
 *
 * @param root the repository root (the services' packaged jars, the bundled model)
 * @param seconds measured seconds per point and side
 * @param vectors vectors in the collection
 * @param cores this machine's cores, shared by the client, the three services and PostgreSQL
 */
record Settings(Path root, double seconds, int vectors, int cores) {

    static final String TENANT = "gwbench";
    static final int DIM = 128;
    static final int TOP_K = 10;
    /** Items per upsert while loading. */
    static final int BATCH = 1000;
    static final List<Integer> CONCURRENCY = List.of(1, 16);
    /** Length of one measured slice of one side; a point alternates direct and gateway slices. */
    static final double SLICE_SECONDS = 1.0;

    static Settings fromArgs(String[] args) {
        return new Settings(Path.of(args.length > 0 ? args[0] : "..").toAbsolutePath().normalize(),
                args.length > 1 ? Double.parseDouble(args[1]) : 10, args.length > 2 ? Integer.parseInt(args[2]) : 10_000,
                Runtime.getRuntime().availableProcessors());
    }

    /** Warm-up of each side before a point. */
    double warmup() {
        return Math.max(2, seconds / 3);
    }

    /** Warm-up of every path, once before the first point: the gateway's CPU per request falls for tens of seconds. */
    double jitWarmup() {
        return Math.max(5, seconds);
    }

    /** Where the services' logs go. */
    Path logs() {
        return root.resolve("gateway/target");
    }
}
