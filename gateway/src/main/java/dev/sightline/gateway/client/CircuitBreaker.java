package dev.sightline.gateway.client;

import java.time.Duration;
import java.util.function.LongSupplier;

/**
 * Consecutive-failure circuit breaker: after N failures in a row calls fail fast for a while, then one trial
 * call is let through; its success closes the breaker, its failure opens it again.
 */
public final class CircuitBreaker {

    /** Breaker states. */
    public enum State {
        CLOSED, OPEN, HALF_OPEN
    }

    private final int threshold;
    private final long openNanos;
    private final LongSupplier clock;
    private int failures;
    private long openedAt;
    private State state = State.CLOSED;

    public CircuitBreaker(int threshold, Duration open, LongSupplier clock) {
        this.threshold = threshold;
        this.openNanos = open.toNanos();
        this.clock = clock;
    }

    /** Whether a call may go ahead now. */
    public synchronized boolean allow() {
        if (state == State.OPEN && clock.getAsLong() - openedAt >= openNanos) {
            state = State.HALF_OPEN;
            return true;
        }
        return state == State.CLOSED;
    }

    public synchronized void success() {
        failures = 0;
        state = State.CLOSED;
    }

    public synchronized void failure() {
        failures++;
        if (state == State.HALF_OPEN || failures >= threshold) {
            state = State.OPEN;
            openedAt = clock.getAsLong();
        }
    }

    public synchronized State state() {
        return state;
    }

    /** Seconds until a trial call is allowed (at least 1), for Retry-After. */
    public synchronized long retryAfterSeconds() {
        long left = openNanos - (clock.getAsLong() - openedAt);
        return Math.max(1, (long) Math.ceil(left / 1e9));
    }
}
