package dev.sightline.embed.bench;

import java.lang.management.ManagementFactory;

/** One benchmark point: throughput, latency per call and CPU time per item. */
record Measure(double itemsPerSecond, double p50Ms, double p99Ms, double cpuSecondsPerItem) {

    /** Runs {@code call} (which handles {@code itemsPerCall} items) repeatedly in this thread for {@code seconds}. */
    static Measure loop(Runnable call, int itemsPerCall, double seconds) {
        call.run();
        long[] lat = new long[1 << 16];
        int n = 0;
        long cpu0 = processCpuNanos();
        long start = System.nanoTime();
        long end = start + (long) (seconds * 1e9);
        long now = start;
        while (now < end && n < lat.length) {
            long t = System.nanoTime();
            call.run();
            now = System.nanoTime();
            lat[n++] = now - t;
        }
        double wall = (now - start) / 1e9;
        double cpu = (processCpuNanos() - cpu0) / 1e9;
        java.util.Arrays.sort(lat, 0, n);
        long items = (long) n * itemsPerCall;
        return new Measure(items / wall, lat[n / 2] / 1e6, lat[Math.min(n - 1, (int) (n * 0.99))] / 1e6, cpu / items);
    }

    /** CPU time of this whole process (every thread, ONNX Runtime's native pool included). */
    static long processCpuNanos() {
        return ((com.sun.management.OperatingSystemMXBean) ManagementFactory.getOperatingSystemMXBean()).getProcessCpuTime();
    }
}
