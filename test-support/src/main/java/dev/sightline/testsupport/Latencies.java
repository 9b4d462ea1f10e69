package dev.sightline.testsupport;

import java.util.Arrays;

/**
 * Response times of one measurement, in nanoseconds, sorted ascending; statistics in milliseconds. Empty
 * measurements give NaN, which the benchmarks' reports print as such rather than as a misleading 0.
 */
public record Latencies(long[] sortedNanos) {

    public static final Latencies NONE = new Latencies(new long[0]);

    /** Copies and sorts. */
    public static Latencies of(long... nanos) {
        long[] sorted = nanos.clone();
        Arrays.sort(sorted);
        return new Latencies(sorted);
    }

    public int count() {
        return sortedNanos.length;
    }

    public double meanMs() {
        return sortedNanos.length == 0 ? Double.NaN : Arrays.stream(sortedNanos).average().orElseThrow() / 1e6;
    }

    /** Nearest-rank percentile ({@code 0 < p <= 1}): the smallest sample with at least p of all samples at or below it. */
    public double nearestRankMs(double p) {
        if (sortedNanos.length == 0) {
            return Double.NaN;
        }
        int i = (int) Math.ceil(p * sortedNanos.length) - 1;
        return sortedNanos[Math.max(0, Math.min(sortedNanos.length - 1, i))] / 1e6;
    }

    /**
     * The sample with {@code floor(p * count)} samples below it: one rank above {@link #nearestRankMs} when
     * {@code p * count} is whole. The gateway benchmark has reported its percentiles this way from its first
     * published figures, which stay comparable only if it keeps doing so.
     */
    public double floorRankMs(double p) {
        if (sortedNanos.length == 0) {
            return Double.NaN;
        }
        return sortedNanos[Math.min(sortedNanos.length - 1, (int) (p * sortedNanos.length))] / 1e6;
    }

    /** Both measurements as one. */
    public Latencies plus(Latencies other) {
        long[] all = Arrays.copyOf(sortedNanos, sortedNanos.length + other.sortedNanos.length);
        System.arraycopy(other.sortedNanos, 0, all, sortedNanos.length, other.sortedNanos.length);
        Arrays.sort(all);
        return new Latencies(all);
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof Latencies l && Arrays.equals(sortedNanos, l.sortedNanos);
    }

    @Override
    public int hashCode() {
        return Arrays.hashCode(sortedNanos);
    }

    @Override
    public String toString() {
        return "Latencies" + Arrays.toString(sortedNanos);
    }
}
