package dev.sightline.gateway.client;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.sightline.gateway.client.CircuitBreaker.State;
import java.time.Duration;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.Test;

class CircuitBreakerTest {

    private final AtomicLong now = new AtomicLong();
    /** Opens after 3 failures in a row, for 5 s. */
    private final CircuitBreaker breaker = new CircuitBreaker(3, Duration.ofSeconds(5), now::get);

    private void fail(int times) {
        for (int i = 0; i < times; i++) {
            breaker.failure();
        }
    }

    private void advanceSeconds(double s) {
        now.addAndGet((long) (s * 1e9));
    }

    @Test
    void opensAfterTheThresholdOfConsecutiveFailures() {
        fail(2);
        assertTrue(breaker.allow());
        assertEquals(State.CLOSED, breaker.state());
        fail(1);
        assertFalse(breaker.allow());
        assertEquals(State.OPEN, breaker.state());
        assertEquals(5, breaker.retryAfterSeconds());
    }

    @Test
    void aSuccessResetsTheCount() {
        fail(2);
        breaker.success();
        fail(2);
        assertEquals(State.CLOSED, breaker.state());
    }

    @Test
    void letsOneTrialThroughAfterTheOpenTimeAndClosesOnItsSuccess() {
        fail(3);
        advanceSeconds(3.5);
        assertFalse(breaker.allow());
        assertEquals(2, breaker.retryAfterSeconds());
        advanceSeconds(1.5);
        assertTrue(breaker.allow());
        assertEquals(State.HALF_OPEN, breaker.state());
        assertFalse(breaker.allow());
        breaker.success();
        assertEquals(State.CLOSED, breaker.state());
        assertTrue(breaker.allow());
    }

    @Test
    void aFailedTrialOpensItAgainForTheWholeTime() {
        fail(3);
        advanceSeconds(5);
        assertTrue(breaker.allow());
        breaker.failure();
        assertEquals(State.OPEN, breaker.state());
        assertFalse(breaker.allow());
        assertEquals(5, breaker.retryAfterSeconds());
    }

    @Test
    void retryAfterIsAtLeastOneSecond() {
        fail(3);
        advanceSeconds(4.999);
        assertEquals(1, breaker.retryAfterSeconds());
    }
}
