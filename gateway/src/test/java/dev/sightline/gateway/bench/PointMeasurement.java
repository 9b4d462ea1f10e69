package dev.sightline.gateway.bench;

/**
 * One point: after a quiet machine and a warm-up of both sides, short alternating slices (D G, G D, D G, ...), so
 * that drift of the machine, or bursts of other work on it, hit both sides alike.
 */
final class PointMeasurement {

    private final Settings settings;
    private final LoadPhase phase;
    private final Machine machine;

    PointMeasurement(Settings settings, LoadPhase phase, Machine machine) {
        this.settings = settings;
        this.phase = phase;
        this.machine = machine;
    }

    Point measure(String query, int concurrency, Call direct, Call gateway) throws Exception {
        machine.awaitQuiet();
        phase.run(concurrency, settings.warmup(), direct);
        phase.run(concurrency, settings.warmup(), gateway);
        int slices = Math.max(2, (int) Math.round(settings.seconds() / Settings.SLICE_SECONDS));
        double slice = settings.seconds() / slices;
        Result d = null;
        Result g = null;
        for (int k = 0; k < slices; k++) {
            boolean directFirst = k % 2 == 0;
            Result first = phase.run(concurrency, slice, directFirst ? direct : gateway);
            Result second = phase.run(concurrency, slice, directFirst ? gateway : direct);
            Result dk = directFirst ? first : second;
            Result gk = directFirst ? second : first;
            d = d == null ? dk : d.plus(dk);
            g = g == null ? gk : g.plus(gk);
        }
        return new Point(query, concurrency, d, g);
    }
}
