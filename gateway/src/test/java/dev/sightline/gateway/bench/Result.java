package dev.sightline.gateway.bench;

import dev.sightline.testsupport.Latencies;

/** What one side did in one or more measured phases: latencies of its successes, errors, time and CPU. */
record Result(Latencies latencies, long errors, double seconds, CpuUse cpu) {

    double rate() {
        return latencies.count() / seconds;
    }

    double mean() {
        return latencies.meanMs();
    }

    /** The benchmark's percentile, kept as published (see {@link Latencies#floorRankMs}). */
    double pct(double q) {
        return latencies.floorRankMs(q);
    }

    /** CPU milliseconds per successful request. */
    double cpuMs(long ticks) {
        return latencies.count() == 0 ? Double.NaN : ticks * 1000.0 / Cpu.TICKS_PER_SECOND / latencies.count();
    }

    /** Share of all cores, in percent, that the ticks kept busy. */
    double busy(long ticks, int cores) {
        return 100.0 * ticks / Cpu.TICKS_PER_SECOND / seconds / cores;
    }

    Result plus(Result o) {
        return new Result(latencies.plus(o.latencies), errors + o.errors, seconds + o.seconds, cpu.plus(o.cpu));
    }
}
