package dev.sightline.testsupport;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;

class EventuallyTest {

    @Test
    void returnsOnceTheConditionHolds() throws InterruptedException {
        AtomicInteger polls = new AtomicInteger();
        Eventually.within(5, "the third poll", () -> polls.incrementAndGet() == 3);
        assertEquals(3, polls.get());
    }

    @Test
    void failsNamingWhatItWaitedForWhenTheConditionNeverHolds() {
        AssertionError e = assertThrows(AssertionError.class, () -> Eventually.within(0, "the index built", () -> false));
        assertEquals("the index built: not within 0 s", e.getMessage());
    }
}
