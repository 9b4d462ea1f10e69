package dev.sightline.gateway.bench;

import dev.sightline.testsupport.ClosedLoop;
import dev.sightline.testsupport.ClosedLoop.LateAnswers;

/**
 * One closed-loop phase of one side, with the CPU each party used in its window. Answers after the window are not
 * counted, so a phase is exactly its window, and CPU is read at the window's edges.
 */
final class LoadPhase {

    /** Workers start far apart in the query lists, so that they do not send the same query at the same moment. */
    private static final int WORKER_STRIDE = 7919;

    private final BenchClient client;
    private final Pids pids;

    LoadPhase(BenchClient client, Pids pids) {
        this.client = client;
        this.pids = pids;
    }

    Result run(int concurrency, double seconds, Call call) throws Exception {
        Cpu before = Cpu.read(pids);
        try (ClosedLoop loop = ClosedLoop.start(concurrency, seconds, LateAnswers.DROPPED,
                (worker, n) -> attempt(call, worker * WORKER_STRIDE + n))) {
            loop.awaitWindowEnd();
            // At the window's end, not after the workers' last (uncounted) answers.
            Cpu after = Cpu.read(pids);
            ClosedLoop.Run run = loop.finish();
            return new Result(run.latencies(), run.errors(), run.seconds(), CpuUse.between(before, after));
        }
    }

    /** A failure of a request is an error of the side, not the end of the benchmark. */
    private boolean attempt(Call call, int i) {
        try {
            return call.call(i);
        } catch (Exception e) {
            client.noteError(e.toString());
            return false;
        }
    }
}
