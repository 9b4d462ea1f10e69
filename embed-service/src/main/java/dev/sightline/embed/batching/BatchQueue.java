package dev.sightline.embed.batching;

import dev.sightline.common.problem.ProblemException;
import dev.sightline.common.problem.CommonProblem;
import dev.sightline.embed.EmbedProblem;
import io.micrometer.core.instrument.DistributionSummary;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Supplier;
import org.jboss.logging.Logger;

/**
 * Coalesces items from concurrent requests into model batches for one encoder.
 *
 * <p>Admission is bounded: a request whose items do not all fit is refused whole with {@link EmbedProblem#QUEUE_FULL}.
 * Each worker thread creates and owns its own {@link BatchRunner}, so no predictor is shared between threads.
 *
 * <p>A worker that meets an {@link Error} (out of memory, a broken native library) stops the queue for good: its
 * runner's state is unknown, and waiting requests would otherwise hang on a worker that is gone. Everything
 * waiting and everything submitted afterwards fails at once with {@link EmbedProblem#NOT_READY}, and
 * {@link #failure()} says why, for readiness.
 */
public final class BatchQueue<I> implements AutoCloseable {

    private static final Logger LOG = Logger.getLogger(BatchQueue.class);

    private record Task<I>(I input, CompletableFuture<float[]> result) {
    }

    private final String name;
    private final BlockingQueue<Task<I>> queue = new LinkedBlockingQueue<>();
    private final Semaphore permits;
    private final int capacity;
    private final long maxWaitNanos;
    private final long loadWaitNanos;
    private final double loadWaitFraction;
    /** Items submitted and not yet answered (waiting or in a model call). */
    private final AtomicInteger outstanding = new AtomicInteger();
    /** The most items outstanding at once since the last batch was formed: the load the next batch can expect. */
    private final AtomicInteger recentPeak = new AtomicInteger();
    /** How long the last model call took. */
    private volatile long lastCallNanos;
    private final List<Thread> workers = new ArrayList<>();
    private final CountDownLatch started;
    private final DistributionSummary batchSizes;
    private final Timer inference;
    private volatile int maxBatch;
    private volatile boolean closed;
    private volatile Throwable startFailure;
    private volatile String failure;

    /**
     * Starts the workers; returns once every worker has created its runner (or one failed).
     *
     * @param runners creates one runner per worker, on that worker's thread
     */
    public BatchQueue(String name, int capacity, int maxBatch, Duration maxWait, int workers,
            Supplier<? extends BatchRunner<I>> runners, MeterRegistry registry) {
        this(name, "-", capacity, maxBatch, maxWait, Duration.ZERO, 0, workers, runners, registry);
    }

    /**
     * As above, with load-aware waiting: a batch smaller than the load seen since the previous batch (items
     * outstanding at once, up to {@code maxBatch}) waits for the rest up to {@code loadWait}, and never longer than
     * {@code loadWaitFraction} of the previous model call. With a costly model the clients of the batch just answered
     * come back within a few milliseconds; taking their items into the next batch instead of running half batches is
     * what keeps a model with a steep batch curve (ViT-B/32 on CPU: batch 1 runs at half the rate of batch 8) at its
     * efficient size, while a lone client never waits for company that is not coming. Its meters carry the
     * {@code encoder} (name) and {@code model} tags.
     */
    public BatchQueue(String name, String model, int capacity, int maxBatch, Duration maxWait, Duration loadWait,
            double loadWaitFraction, int workers, Supplier<? extends BatchRunner<I>> runners, MeterRegistry registry) {
        this.name = name;
        this.capacity = capacity;
        this.permits = new Semaphore(capacity);
        this.maxBatch = maxBatch;
        this.maxWaitNanos = maxWait.toNanos();
        this.loadWaitNanos = loadWait.toNanos();
        this.loadWaitFraction = loadWaitFraction;
        this.started = new CountDownLatch(workers);
        this.batchSizes = DistributionSummary.builder("sightline.embed.batch.size").tag("encoder", name).tag("model", model)
                .description("Items per model call").serviceLevelObjectives(1, 2, 4, 8, 16, 32, 64, 128)
                .register(registry);
        this.inference = Timer.builder("sightline.embed.inference").tag("encoder", name).tag("model", model)
                .description("Model call latency").publishPercentileHistogram().register(registry);
        Gauge.builder("sightline.embed.queue.depth", queue, BlockingQueue::size).tag("encoder", name).tag("model", model)
                .description("Items waiting for a model call").register(registry);
        for (int i = 0; i < workers; i++) {
            Thread t = new Thread(() -> work(runners), "batch-" + name + "-" + i);
            t.setDaemon(true);
            this.workers.add(t);
            t.start();
        }
        try {
            started.await();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        if (startFailure != null) {
            close();
            throw new IllegalStateException("encoder " + name + " failed to start: " + startFailure.getMessage(),
                    startFailure);
        }
    }

    /** The encoder this queue feeds ("text", "image"). */
    public String name() {
        return name;
    }

    /** Largest batch the workers form. */
    public int maxBatch() {
        return maxBatch;
    }

    /** Queue capacity in items. */
    public int capacity() {
        return capacity;
    }

    /** Why a worker stopped the queue (the error it met), or null while the queue works. */
    public String failure() {
        return failure;
    }

    /** Enqueues all items, or none when they do not fit. */
    public List<CompletableFuture<float[]>> submit(List<I> inputs) {
        if (failure != null) {
            throw stopped();
        }
        if (closed) {
            throw new ProblemException(EmbedProblem.NOT_READY, "The " + name + " encoder is shutting down.");
        }
        if (!permits.tryAcquire(inputs.size())) {
            throw new ProblemException(EmbedProblem.QUEUE_FULL,
                    "The " + name + " encoder queue is full (" + capacity + " items); retry shortly.");
        }
        List<CompletableFuture<float[]>> futures = new ArrayList<>(inputs.size());
        int now = outstanding.addAndGet(inputs.size());
        recentPeak.accumulateAndGet(now, Math::max);
        for (I input : inputs) {
            CompletableFuture<float[]> f = new CompletableFuture<>();
            futures.add(f);
            queue.add(new Task<>(input, f));
        }
        // A worker that failed after the check above may have drained the queue before these tasks arrived.
        if (failure != null) {
            failWaiting(stopped());
        }
        return futures;
    }

    private ProblemException stopped() {
        return new ProblemException(EmbedProblem.NOT_READY,
                "The " + name + " encoder stopped after an internal error; the service must be restarted.");
    }

    private void failWaiting(ProblemException reason) {
        Task<I> t;
        while ((t = queue.poll()) != null) {
            outstanding.decrementAndGet();
            t.result().completeExceptionally(reason);
        }
    }

    private void work(Supplier<? extends BatchRunner<I>> runners) {
        BatchRunner<I> runner;
        try {
            runner = runners.get();
            if (runner.fixedBatchSize() > 0 && runner.fixedBatchSize() < maxBatch) {
                maxBatch = runner.fixedBatchSize();
            }
        } catch (Throwable t) {
            startFailure = t;
            started.countDown();
            return;
        }
        started.countDown();
        List<Task<I>> batch = new ArrayList<>();
        try (runner) {
            while (!closed && failure == null) {
                Task<I> first = queue.poll(200, TimeUnit.MILLISECONDS);
                if (first == null) {
                    continue;
                }
                batch.add(first);
                long start = System.nanoTime();
                long deadline = start + maxWaitNanos;
                // The load since the last batch: items of clients that are busy elsewhere (reading the last answer,
                // decoding their next image) are expected back, up to a fraction of what one model call costs.
                int expected = Math.min(maxBatch, recentPeak.getAndSet(outstanding.get()));
                long loadDeadline = start + Math.min(loadWaitNanos, (long) (loadWaitFraction * lastCallNanos));
                while (batch.size() < maxBatch) {
                    Task<I> next = queue.poll();
                    if (next == null) {
                        long until = batch.size() < expected ? Math.max(deadline, loadDeadline) : deadline;
                        long left = until - System.nanoTime();
                        if (left <= 0 || (next = queue.poll(left, TimeUnit.NANOSECONDS)) == null) {
                            break;
                        }
                    }
                    batch.add(next);
                }
                execute(runner, batch);
                outstanding.addAndGet(-batch.size());
                permits.release(batch.size());
                batch.clear();
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        } catch (Throwable e) {
            // Before failing anything, so that a submit racing with this sees the failure (see submit).
            failure = e.toString();
            LOG.errorf(e, "%s encoder worker %s stopped; the encoder answers not-ready from now on", name,
                    Thread.currentThread().getName());
            for (Task<I> t : batch) {
                t.result().completeExceptionally(stopped());
            }
            failWaiting(stopped());
            return;
        }
        for (Task<I> t : batch) {
            t.result().completeExceptionally(new ProblemException(EmbedProblem.NOT_READY, "Encoder stopped."));
        }
    }

    private void execute(BatchRunner<I> runner, List<Task<I>> batch) {
        List<I> inputs = new ArrayList<>(batch.size());
        for (Task<I> t : batch) {
            inputs.add(t.input());
        }
        batchSizes.record(batch.size());
        long start = System.nanoTime();
        try {
            float[][] out = runner.run(inputs);
            lastCallNanos = System.nanoTime() - start;
            inference.record(lastCallNanos, TimeUnit.NANOSECONDS);
            for (int i = 0; i < batch.size(); i++) {
                batch.get(i).result().complete(out[i]);
            }
        } catch (RuntimeException e) {
            if (batch.size() == 1) {
                LOG.errorf(e, "%s inference failed", name);
                batch.get(0).result().completeExceptionally(
                        new ProblemException(CommonProblem.INTERNAL, "Inference failed.", e));
                return;
            }
            // One bad item must not fail its neighbours: run them one by one.
            for (Task<I> t : batch) {
                execute(runner, List.of(t));
            }
        }
    }

    @Override
    public void close() {
        closed = true;
        for (Thread t : workers) {
            try {
                t.join(2000);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }
        Task<I> t;
        while ((t = queue.poll()) != null) {
            t.result().completeExceptionally(new ProblemException(EmbedProblem.NOT_READY, "Encoder stopped."));
        }
    }
}
