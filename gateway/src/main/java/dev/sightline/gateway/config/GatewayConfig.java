package dev.sightline.gateway.config;

import io.smallrye.config.ConfigMapping;
import io.smallrye.config.WithDefault;
import java.time.Duration;

/** Every setting of the gateway, under the prefix {@code sightline.gateway}. */
@ConfigMapping(prefix = "sightline.gateway")
public interface GatewayConfig {

    /** embed-service. */
    Backend embed();

    /** retrieval-service. */
    Backend retrieval();

    /** API keys. */
    Auth auth();

    /** Per-key rate limit. */
    RateLimit rateLimit();

    /** Request limits. */
    Limits limits();

    /** One backend service and how it is called (its resilience policy). */
    interface Backend {
        /** Base URL, e.g. http://127.0.0.1:8081. */
        String url();

        /** Time a call may take before it counts as failed. */
        @WithDefault("PT10S")
        Duration timeout();

        /** Extra attempts for idempotent calls after a connection failure or a 5xx answer. */
        @WithDefault("2")
        int retries();

        /** Pause before a retry (doubled each time). */
        @WithDefault("PT0.05S")
        Duration retryBackoff();

        /** Consecutive failures that open the circuit breaker. */
        @WithDefault("5")
        int breakerFailures();

        /** How long an open breaker fails calls fast before letting one trial call through. */
        @WithDefault("PT5S")
        Duration breakerOpen();
    }

    /** API keys. */
    interface Auth {
        /** File of hashed keys, one "sha256:HEX TENANT [NOTE]" per line; re-read when it changes. */
        @WithDefault(".sightline/api-keys")
        String keysFile();

        /** How often the keys file is checked for changes. */
        @WithDefault("PT2S")
        Duration reloadInterval();
    }

    /** Token bucket per API key. */
    interface RateLimit {
        /** Sustained requests per second per key. */
        @WithDefault("50")
        double requestsPerSecond();

        /** Requests a key may burst above the sustained rate. */
        @WithDefault("100")
        int burst();
    }

    /** Request limits. */
    interface Limits {
        /** Largest request body in bytes. */
        @WithDefault("33554432")
        long maxRequestBytes();

        /** Most inputs in one embeddings request. */
        @WithDefault("256")
        int maxEmbeddingInputs();

        /** Most images in one request (embeddings or items). */
        @WithDefault("64")
        int maxImages();

        /** Most items in one upsert request. */
        @WithDefault("1000")
        int maxItems();

        /** Time for a request's body to arrive and be parsed (a client that stalls, a multipart body cut short). */
        @WithDefault("PT20S")
        Duration bodyReadTimeout();
    }
}
