package dev.sightline.gateway.auth;

import dev.sightline.gateway.config.GatewayConfig;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.LongSupplier;

/** A token bucket per API key: a sustained rate and a burst. */
@ApplicationScoped
public class RateLimiter {

    private final double rate;
    private final double burst;
    private final LongSupplier clock;
    private final ConcurrentHashMap<String, Bucket> buckets = new ConcurrentHashMap<>();

    @Inject
    public RateLimiter(GatewayConfig config) {
        this(config.rateLimit().requestsPerSecond(), config.rateLimit().burst(), System::nanoTime);
    }

    RateLimiter(double rate, double burst, LongSupplier clock) {
        this.rate = rate;
        this.burst = burst;
        this.clock = clock;
    }

    /** Takes one token for the key; returns 0 when allowed, else the seconds to wait (for Retry-After). */
    public long acquire(String keyHash) {
        return buckets.computeIfAbsent(keyHash, k -> new Bucket(burst, clock.getAsLong())).take(rate, burst, clock);
    }

    private static final class Bucket {
        private double tokens;
        private long last;

        Bucket(double tokens, long now) {
            this.tokens = tokens;
            this.last = now;
        }

        synchronized long take(double rate, double burst, LongSupplier clock) {
            long now = clock.getAsLong();
            tokens = Math.min(burst, tokens + (now - last) / 1e9 * rate);
            last = now;
            if (tokens >= 1) {
                tokens -= 1;
                return 0;
            }
            return Math.max(1, (long) Math.ceil((1 - tokens) / rate));
        }
    }
}
