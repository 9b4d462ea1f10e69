package dev.sightline.gateway.service;

import dev.sightline.gateway.config.GatewayConfig;

/** A gateway configuration with the given request limits; nothing else is read by the services. */
final class TestConfig {

    private TestConfig() {
    }

    static GatewayConfig limits(int maxItems, int maxImages, int maxEmbeddingInputs) {
        GatewayConfig.Limits limits = new GatewayConfig.Limits() {
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
        };
        return new GatewayConfig() {
            @Override
            public Backend embed() {
                throw new UnsupportedOperationException();
            }

            @Override
            public Backend retrieval() {
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
}
