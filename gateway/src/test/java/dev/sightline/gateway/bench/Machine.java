package dev.sightline.gateway.bench;

import java.util.Locale;
import java.util.concurrent.TimeUnit;

/** How busy work outside the benchmark keeps the machine: reported before the load, awaited before each point. */
final class Machine {

    private final Pids pids;
    private final int cores;

    Machine(Pids pids, int cores) {
        this.pids = pids;
        this.cores = cores;
    }

    /** Two seconds with this benchmark idle: what the rest of the machine does. */
    void reportIdle() throws InterruptedException {
        Cpu idle0 = Cpu.read(pids);
        Thread.sleep(2000);
        Cpu idle1 = Cpu.read(pids);
        double idleSeconds = (idle1.at() - idle0.at()) / 1e9;
        double tps = Cpu.TICKS_PER_SECOND;
        System.out.printf(Locale.ROOT, "before the load (2 s, this benchmark idle): machine busy %.0f%% of %d cores: "
                + "PostgreSQL %.0f%%, other processes %.0f%%%s%n",
                100.0 * (idle1.machine() - idle0.machine()) / tps / idleSeconds / cores, cores,
                100.0 * (idle1.postgres() - idle0.postgres()) / tps / idleSeconds / cores,
                100.0 * idle1.others(idle0) / tps / idleSeconds / cores,
                idle1.background(idle0) > 0.2 * tps * idleSeconds * cores
                        ? " -- WARNING: the machine is not quiet (other work is running), results will be noisy" : "");
    }

    /**
     * Waits (up to a minute) until work outside this benchmark (PostgreSQL included: between points this benchmark
     * sends it nothing) uses under a quarter of the machine, so that a point does not start in another user's burst.
     */
    void awaitQuiet() throws InterruptedException {
        long limit = System.nanoTime() + TimeUnit.SECONDS.toNanos(60);
        double busy = 0;
        while (System.nanoTime() < limit) {
            Cpu a = Cpu.read(pids);
            Thread.sleep(1000);
            Cpu b = Cpu.read(pids);
            busy = b.background(a) / (double) Cpu.TICKS_PER_SECOND / ((b.at() - a.at()) / 1e9) / cores;
            if (busy < 0.25) {
                return;
            }
        }
        System.out.printf(Locale.ROOT, "  (the machine stayed busy with other work: %.0f%% of its cores; measuring anyway)%n",
                100 * busy);
    }
}
