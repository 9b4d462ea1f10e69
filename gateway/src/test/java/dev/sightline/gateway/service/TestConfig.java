package dev.sightline.gateway.service;

import dev.sightline.gateway.config.GatewayConfig;

/** A gateway configuration with the given request limits; nothing else is read by the services. */
final class TestConfig {

    private TestConfig() {
    }

    static GatewayConfig limits(int maxItems, int maxImages, int maxEmbeddingInputs) {
        return of(maxItems, maxImages, maxEmbeddingInputs, 50_000, 256, 1L << 28);
    }

    /** Bulk limits as given; embed calls of at most {@code maxEmbeddingInputs} texts and {@code maxImages} images. */
    static GatewayConfig bulk(int maxBulkItems, int maxBulkImages, long maxBulkBytes, int maxEmbeddingInputs,
            int maxImages) {
        return of(1000, maxImages, maxEmbeddingInputs, maxBulkItems, maxBulkImages, maxBulkBytes);
    }

    private static GatewayConfig of(int maxItems, int maxImages, int maxEmbeddingInputs, int maxBulkItems,
            int maxBulkImages, long maxBulkBytes) {
        GatewayConfig.Limits limits = new GatewayConfig.Limits() {
            @Override
            public int maxPolicyCategories() {
                return 16;
            }

            @Override
            public int maxPolicyPrompts() {
                return 16;
            }

            @Override
            public int maxCalibrationExamples() {
                return 1000;
            }

            @Override
            public long maxRequestBytes() {
                return 1 << 20;
            }

            @Override
            public int maxEmbeddingInputs() {
                return maxEmbeddingInputs;
            }

            @Override
            public int maxImages() {
                return maxImages;
            }

            @Override
            public int maxItems() {
                return maxItems;
            }

            @Override
            public java.time.Duration bodyReadTimeout() {
                return java.time.Duration.ofSeconds(20);
            }

            @Override
            public long maxBulkBytes() {
                return maxBulkBytes;
            }

            @Override
            public int maxBulkItems() {
                return maxBulkItems;
            }

            @Override
            public int maxBulkImages() {
                return maxBulkImages;
            }

            @Override
            public java.time.Duration bulkBodyReadTimeout() {
                return java.time.Duration.ofMinutes(2);
            }
        };
        return new GatewayConfig() {
            @Override
            public Backend embed() {
                throw new UnsupportedOperationException();
            }

            @Override
            public Retrieval retrieval() {
                throw new UnsupportedOperationException();
            }

            @Override
            public Auth auth() {
                throw new UnsupportedOperationException();
            }

            @Override
            public RateLimit rateLimit() {
                throw new UnsupportedOperationException();
            }

            @Override
            public Limits limits() {
                return limits;
            }
        };
    }

    /** Ingest moderation over fakes, judging on the calling thread. */
    static IngestModeration moderation(FakeEmbedClient embed, FakeRetrievalClient retrieval, GatewayConfig config) {
        return new IngestModeration(new ModerationService(embed, new Embedder(embed), retrieval, config,
                new io.micrometer.core.instrument.simple.SimpleMeterRegistry()), new Embedder(embed), config,
                Runnable::run);
    }
}
