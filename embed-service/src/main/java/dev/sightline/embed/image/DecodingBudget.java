package dev.sightline.embed.image;

import dev.sightline.common.problem.CommonProblem;
import dev.sightline.common.problem.ProblemException;
import dev.sightline.embed.EmbedProblem;
import java.time.Duration;
import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;

/**
 * The pixels that may be decoded at once across all requests: the per-image limit alone lets a few concurrent
 * large images fill the heap, since decoding holds several bytes per pixel until the crop is made.
 *
 * <p>An image takes width x height from the budget (from its header, before decoding) and gives it back when
 * its crop is made. One that does not fit waits, first come first served so that small images cannot starve a
 * large one, up to the configured time, then its request is answered 429; one larger than the whole budget
 * could never fit and is refused with 413. Thread-safe.
 */
public final class DecodingBudget {

    private final int pixels;
    private final long waitNanos;
    private final Semaphore free;

    /** A budget of {@code pixels} (1 to 2^31 - 1), where an image waits at most {@code wait} for room. */
    public DecodingBudget(long pixels, Duration wait) {
        if (pixels < 1 || pixels > Integer.MAX_VALUE || wait.isNegative()) {
            throw new IllegalArgumentException("decoding budget must be 1 to " + Integer.MAX_VALUE
                    + " pixels with a wait of zero or more, got " + pixels + " pixels and " + wait);
        }
        this.pixels = (int) pixels;
        this.waitNanos = wait.toNanos();
        this.free = new Semaphore(this.pixels, true);
    }

    /** The whole budget in pixels. */
    public int pixels() {
        return pixels;
    }

    /** Pixels not taken at the moment. */
    public int available() {
        return free.availablePermits();
    }

    /** Takes width x height pixels, waiting for room; close the returned lease to give them back. */
    public Lease acquire(int width, int height) {
        long n = (long) width * height;
        if (n > pixels) {
            throw new ProblemException(CommonProblem.PAYLOAD_TOO_LARGE, "image is " + width + "x" + height
                    + " pixels, more than the " + pixels + " this service decodes at once");
        }
        try {
            if (!free.tryAcquire((int) n, waitNanos, TimeUnit.NANOSECONDS)) {
                throw new ProblemException(EmbedProblem.QUEUE_FULL,
                        "too many images are being decoded at once; retry shortly");
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new ProblemException(EmbedProblem.QUEUE_FULL, "interrupted while waiting to decode the image");
        }
        return new Lease((int) n);
    }

    /** Pixels taken from the budget; closing gives them back, once. */
    public final class Lease implements AutoCloseable {

        private final int taken;
        private final AtomicBoolean open = new AtomicBoolean(true);

        private Lease(int taken) {
            this.taken = taken;
        }

        @Override
        public void close() {
            if (open.compareAndSet(true, false)) {
                free.release(taken);
            }
        }
    }
}
