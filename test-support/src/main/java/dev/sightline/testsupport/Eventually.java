package dev.sightline.testsupport;

import java.util.concurrent.TimeUnit;
import java.util.function.BooleanSupplier;

/** Waits, within a bound, for what background work brings about (an index build, a partition drop). */
public final class Eventually {

    private Eventually() {
    }

    /** Polls {@code condition} every 100 ms; fails naming {@code what} if it is not true within {@code seconds}. */
    public static void within(long seconds, String what, BooleanSupplier condition) throws InterruptedException {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(seconds);
        while (!condition.getAsBoolean()) {
            if (System.nanoTime() > deadline) {
                throw new AssertionError(what + ": not within " + seconds + " s");
            }
            Thread.sleep(100);
        }
    }
}
