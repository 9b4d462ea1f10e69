package dev.sightline.retrieval.bench;

/** Elapsed time for the report. */
final class Stopwatch {

    private Stopwatch() {
    }

    /** Seconds since a {@link System#nanoTime()} reading. */
    static double secondsSince(long nanoTime) {
        return (System.nanoTime() - nanoTime) / 1e9;
    }
}
