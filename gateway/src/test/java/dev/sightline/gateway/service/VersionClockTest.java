package dev.sightline.gateway.service;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.Test;

class VersionClockTest {

    private final AtomicLong now = new AtomicLong(1_000);
    private final VersionClock clock = new VersionClock(now::get);

    @Test
    void followsTheClockWhileItMovesOn() {
        assertEquals(1_000, clock.next());
        now.set(2_000);
        assertEquals(2_000, clock.next());
    }

    @Test
    void neverRepeatsOrGoesBackWhenTheClockStandsStillOrJumpsBack() {
        assertEquals(1_000, clock.next());
        assertEquals(1_001, clock.next());
        now.set(500);
        assertEquals(1_002, clock.next());
        now.set(1_010);
        assertEquals(1_010, clock.next());
    }
}
