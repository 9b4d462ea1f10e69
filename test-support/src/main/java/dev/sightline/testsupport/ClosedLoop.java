package dev.sightline.testsupport;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;

/**
 * Closed-loop load: {@code concurrency} workers, each sending its next request as soon as the previous one is
 * answered, for a window of time. The latency of a request is the time {@link Request#send} takes.
 *
 * <pre>
 * try (ClosedLoop loop = ClosedLoop.start(16, 10.0, LateAnswers.DROPPED, (worker, n) -&gt; search(...))) {
 *     loop.awaitWindowEnd();   // e.g. to read CPU counters at the window's edge
 *     ClosedLoop.Run run = loop.finish();
 * }
 * </pre>
 */
public final class ClosedLoop implements AutoCloseable {

    /** One request of one worker: {@code n} counts that worker's requests from 0. False counts as an error. */
    @FunctionalInterface
    public interface Request {
        boolean send(int worker, int n) throws Exception;
    }

    /** What happens to the answers that arrive after the window, to requests sent within it. */
    public enum LateAnswers {
        /** Not counted, and the run lasts exactly its window: a run is the window and nothing else. */
        DROPPED,
        /** Counted, and the run lasts until the last of them: every request sent counts. */
        COUNTED
    }

    /**
     * What a run measured.
     *
     * @param latencies the successful requests
     * @param errors requests that answered false
     * @param seconds the window ({@link LateAnswers#DROPPED}) or the time until the last answer
     *     ({@link LateAnswers#COUNTED})
     */
    public record Run(Latencies latencies, long errors, double seconds) {
        /** Successful requests per second. */
        public double rate() {
            return latencies.count() / seconds;
        }
    }

    private final ExecutorService pool;
    private final List<Future<long[]>> workers = new ArrayList<>();
    private final LateAnswers late;
    private final long start;
    private final long deadline;

    private ClosedLoop(int concurrency, double seconds, LateAnswers late, Request request) {
        this.late = late;
        this.pool = Executors.newFixedThreadPool(concurrency);
        this.start = System.nanoTime();
        this.deadline = start + (long) (seconds * 1e9);
        for (int w = 0; w < concurrency; w++) {
            int worker = w;
            workers.add(pool.submit(() -> work(worker, request)));
        }
    }

    /** Starts the workers; the window begins now. */
    public static ClosedLoop start(int concurrency, double seconds, LateAnswers late, Request request) {
        return new ClosedLoop(concurrency, seconds, late, request);
    }

    /** Starts, waits for every worker and returns what was measured. */
    public static Run run(int concurrency, double seconds, LateAnswers late, Request request)
            throws InterruptedException, ExecutionException {
        try (ClosedLoop loop = start(concurrency, seconds, late, request)) {
            return loop.finish();
        }
    }

    /** Returns when the window is over (workers may still be waiting for their last answers). */
    public void awaitWindowEnd() throws InterruptedException {
        long left;
        while ((left = deadline - System.nanoTime()) > 0) {
            Thread.sleep(Math.max(1, left / 1_000_000));
        }
    }

    /**
     * Waits for every worker and returns what was measured. A request that threw ends its worker; the first such
     * exception (by worker) is rethrown here, wrapped.
     */
    public Run finish() throws InterruptedException, ExecutionException {
        long[] all = new long[0];
        long errors = 0;
        for (Future<long[]> f : workers) {
            long[] r = f.get();
            errors += r[r.length - 1];
            int n = all.length;
            all = Arrays.copyOf(all, n + r.length - 1);
            System.arraycopy(r, 0, all, n, r.length - 1);
        }
        double seconds = (late == LateAnswers.DROPPED ? deadline - start : System.nanoTime() - start) / 1e9;
        Arrays.sort(all);
        return new Run(new Latencies(all), errors, seconds);
    }

    @Override
    public void close() {
        pool.shutdownNow();
    }

    /** One worker's latencies, with its error count in the last slot. */
    private long[] work(int worker, Request request) throws Exception {
        long[] lat = new long[1024];
        int count = 0;
        long errors = 0;
        for (int n = 0;; n++) {
            long sent = System.nanoTime();
            if (sent >= deadline) {
                break;
            }
            boolean ok = request.send(worker, n);
            long answered = System.nanoTime();
            if (late == LateAnswers.DROPPED && answered > deadline) {
                break;
            }
            if (ok) {
                if (count == lat.length) {
                    lat = Arrays.copyOf(lat, count * 2);
                }
                lat[count++] = answered - sent;
            } else {
                errors++;
            }
        }
        long[] out = Arrays.copyOf(lat, count + 1);
        out[count] = errors;
        return out;
    }
}
