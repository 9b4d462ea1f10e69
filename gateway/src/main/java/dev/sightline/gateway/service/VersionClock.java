package dev.sightline.gateway.service;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.LongSupplier;

/**
 * Versions for item writes: microseconds since the epoch, strictly increasing within this gateway. retrieval-service
 * keeps an item's version and refuses to overwrite it with an older one, so a retried or late attempt of an
 * earlier write can never replace a newer acknowledged write of the same id. Across gateway replicas the order is
 * that of their clocks (NTP-synchronised, as Kubernetes nodes are).
 */
@ApplicationScoped
public class VersionClock {

    private final LongSupplier micros;
    private final AtomicLong last = new AtomicLong();

    @Inject
    public VersionClock() {
        this(() -> System.currentTimeMillis() * 1000);
    }

    VersionClock(LongSupplier micros) {
        this.micros = micros;
    }

    /** The next version: the clock, or one more than the last version if the clock has not moved on (or went back). */
    public long next() {
        long now = micros.getAsLong();
        return last.updateAndGet(prev -> Math.max(prev + 1, now));
    }
}
