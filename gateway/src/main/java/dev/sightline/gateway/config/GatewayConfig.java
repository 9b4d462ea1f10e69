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
    Retrieval retrieval();

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

    /** retrieval-service: a backend whose bulk writes get a timeout of their own. */
    interface Retrieval extends Backend {
        /**
         * Time a bulk write ({@code /items/bulk}) may take: 50,000 items into a collection whose HNSW index is kept
         * up row by row take minutes (retrieval-service's README measured ~850 vectors/s), far beyond an ordinary
         * call's {@code timeout}.
         */
        @WithDefault("PT5M")
        Duration bulkTimeout();
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
        /** Most categories of a moderation policy. */
        @WithDefault("16")
        int maxPolicyCategories();

        /** Most prompts, and separately most benign prompts, of one moderation category. */
        @WithDefault("16")
        int maxPolicyPrompts();

        /** Most labelled examples of one calibration request (images among them are embedded in calls of max-images). */
        @WithDefault("1000")
        int maxCalibrationExamples();

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

        /**
         * Largest body of a bulk write ({@code POST /v1/collections/{name}/items/bulk}) in bytes; also the most the
         * gateway forwards to retrieval-service for it (vectors included), whose own bulk limit is the same by default.
         */
        @WithDefault("268435456")
        long maxBulkBytes();

        /** Most items (lines) in one bulk write; retrieval-service takes at most as many. */
        @WithDefault("50000")
        int maxBulkItems();

        /**
         * Most image lines in one bulk write. Images are the expensive part: 256 are about 13 s of a 2-core
         * embed-service's image encoder at ViT-B/32 (~20 images/s, embed-service README), embedded 64 per call one
         * call at a time, so a bulk neither holds the encoder from other tenants for long nor outlasts an ordinary
         * client timeout; more images go in several requests, or as vectors.
         */
        @WithDefault("256")
        int maxBulkImages();

        /** Time for a bulk body to arrive and be parsed: 256 MiB take 21 s at 100 Mbit/s, 2 min at 18. */
        @WithDefault("PT2M")
        Duration bulkBodyReadTimeout();
    }
}
