package dev.sightline.gateway.auth;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.Test;

class RateLimiterTest {

    private final AtomicLong now = new AtomicLong(1_000_000_000L);
    /** 2 requests per second, bursts of 3. */
    private final RateLimiter limiter = new RateLimiter(2, 3, now::get);

    private void advanceMillis(long ms) {
        now.addAndGet(ms * 1_000_000L);
    }

    @Test
    void aKeyMayBurstThenWaitsForTheNextToken() {
        assertEquals(0, limiter.acquire("k"));
        assertEquals(0, limiter.acquire("k"));
        assertEquals(0, limiter.acquire("k"));
        assertEquals(1, limiter.acquire("k"));
    }

    @Test
    void tokensRefillAtTheSustainedRate() {
        for (int i = 0; i < 3; i++) {
            limiter.acquire("k");
        }
        advanceMillis(250);
        assertEquals(1, limiter.acquire("k"));
        advanceMillis(250);
        assertEquals(0, limiter.acquire("k"));
        assertEquals(1, limiter.acquire("k"));
    }

    @Test
    void refillStopsAtTheBurst() {
        advanceMillis(60_000);
        for (int i = 0; i < 3; i++) {
            assertEquals(0, limiter.acquire("k"));
        }
        assertEquals(1, limiter.acquire("k"));
    }

    @Test
    void keysHaveTheirOwnBuckets() {
        for (int i = 0; i < 3; i++) {
            limiter.acquire("a");
        }
        assertEquals(1, limiter.acquire("a"));
        assertEquals(0, limiter.acquire("b"));
    }

    @Test
    void aSlowRateAsksForALongerWait() {
        RateLimiter slow = new RateLimiter(0.1, 1, now::get);
        assertEquals(0, slow.acquire("k"));
        assertEquals(10, slow.acquire("k"));
    }
}
