package dev.sightline.retrieval.store;

import java.time.Duration;
import java.util.concurrent.Executors;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;

/**
 * A pass of background work ({@link PartitionDropper}, {@link IndexBuilder}) run at a fixed delay on daemon threads
 * of its own, and soon after a {@link #wake} (at most one wake queued: a burst of wakes is one extra pass).
 */
final class BackgroundPass {

    private final String name;
    private final Runnable pass;
    private final AtomicBoolean wakeQueued = new AtomicBoolean();
    private volatile ScheduledExecutorService executor;

    BackgroundPass(String name, Runnable pass) {
        this.name = name;
        this.pass = pass;
    }

    /** Starts the passes, the first at once; {@code threads} beyond one serve {@link #every}. */
    void start(Duration delay, int threads) {
        executor = Executors.newScheduledThreadPool(threads, r -> {
            Thread t = new Thread(r, name);
            t.setDaemon(true);
            return t;
        });
        executor.scheduleWithFixedDelay(pass, 0, delay.toMillis(), TimeUnit.MILLISECONDS);
    }

    void stop() {
        if (executor != null) {
            executor.shutdownNow();
        }
    }

    /** Runs a pass soon instead of at the next delay; nothing when stopping (what it would do is persisted). */
    void wake() {
        ScheduledExecutorService ex = executor;
        if (ex != null && wakeQueued.compareAndSet(false, true)) {
            try {
                ex.execute(() -> {
                    wakeQueued.set(false);
                    pass.run();
                });
            } catch (RejectedExecutionException shuttingDown) {
                wakeQueued.set(false);
            }
        }
    }

    /** Other periodic work on the same threads (a running pass's progress report). */
    ScheduledFuture<?> every(Duration period, Runnable work) {
        return executor.scheduleWithFixedDelay(work, period.toMillis(), period.toMillis(), TimeUnit.MILLISECONDS);
    }
}
