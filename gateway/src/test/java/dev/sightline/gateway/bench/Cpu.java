package dev.sightline.gateway.bench;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.stream.Stream;

/**
 * CPU ticks used so far, from /proc, by the client, the gateway (and its JIT compiler threads), the two services,
 * PostgreSQL (all its processes) and the whole machine (busy time of all cores). On a small machine they all share
 * the cores; the gateway's CPU per request says what the hop costs independently of that contention.
 */
record Cpu(long at, long client, long gateway, long gatewayJit, long services, long postgres, long machine) {

    static final long TICKS_PER_SECOND = clockTicks();

    static Cpu read(Pids p) {
        long pg = ProcessHandle.allProcesses().filter(h -> h.info().command().map(c -> c.endsWith("/postgres"))
                .orElse(false)).mapToLong(h -> procTicks(h.pid())).sum();
        return new Cpu(System.nanoTime(), procTicks(p.client()), procTicks(p.gateway()), jitTicks(p.gateway()),
                procTicks(p.retrieval()) + procTicks(p.embed()), pg, machineTicks());
    }

    /** Ticks of everything else on the machine (neither this benchmark's JVMs nor PostgreSQL) since {@code before}. */
    long others(Cpu before) {
        return Math.max(0, (machine - before.machine) - (client - before.client) - (gateway - before.gateway)
                - (services - before.services) - (postgres - before.postgres));
    }

    /** Ticks of everything but this benchmark's JVMs (PostgreSQL included) since {@code before}. */
    long background(Cpu before) {
        return (machine - before.machine) - (client - before.client) - (gateway - before.gateway)
                - (services - before.services);
    }

    /** CPU ticks of a JVM's JIT compiler threads ("C1 CompilerThread…", "C2 CompilerThread…"). */
    private static long jitTicks(long pid) {
        long sum = 0;
        try (Stream<Path> tasks = Files.list(Path.of("/proc", Long.toString(pid), "task"))) {
            for (Path t : tasks.toList()) {
                try {
                    String comm = Files.readString(t.resolve("comm"));
                    if (comm.startsWith("C") && comm.contains("CompilerThre")) {
                        String st = Files.readString(t.resolve("stat"));
                        String[] f = st.substring(st.lastIndexOf(')') + 2).split(" ");
                        sum += Long.parseLong(f[11]) + Long.parseLong(f[12]);
                    }
                } catch (IOException | RuntimeException e) {
                    // the thread ended meanwhile
                }
            }
        } catch (IOException e) {
            return 0;
        }
        return sum;
    }

    private static long procTicks(long pid) {
        try {
            String s = Files.readString(Path.of("/proc", Long.toString(pid), "stat"));
            String[] f = s.substring(s.lastIndexOf(')') + 2).split(" ");
            return Long.parseLong(f[11]) + Long.parseLong(f[12]); // utime + stime (fields 14 and 15)
        } catch (IOException | RuntimeException e) {
            return 0;
        }
    }

    private static long machineTicks() {
        try {
            String[] f = Files.readAllLines(Path.of("/proc/stat")).get(0).trim().split("\\s+");
            long busy = 0;
            for (int i = 1; i < Math.min(f.length, 9); i++) {
                if (i != 4 && i != 5) { // idle, iowait
                    busy += Long.parseLong(f[i]);
                }
            }
            return busy;
        } catch (IOException | RuntimeException e) {
            return 0;
        }
    }

    private static long clockTicks() {
        try {
            Process p = new ProcessBuilder("getconf", "CLK_TCK").redirectErrorStream(true).start();
            String out = new String(p.getInputStream().readAllBytes()).strip();
            p.waitFor();
            return Long.parseLong(out);
        } catch (Exception e) {
            return 100;
        }
    }
}
