package dev.sightline.retrieval.api;

import jakarta.validation.constraints.NotBlank;
import jakarta.validation.constraints.NotNull;
import jakarta.validation.constraints.Positive;
import jakarta.validation.constraints.Size;

/**
 * {@code PUT /collections/{name}}.
 *
 * @param precision {@code float32} (absent: the default) or {@code float16}
 * @param hnsw the HNSW graph's settings; absent, or either absent: the configured defaults
 * @param media what image items keep: {@code none}, {@code thumbnail} (absent: the default) or {@code original}
 * @param moderation the name of the tenant's moderation policy the gateway applies at ingest; absent: none
 */
public record CollectionRequest(
        @NotNull @Positive Integer dimension,
        @NotBlank @Size(max = 200) String model,
        String precision,
        HnswRequest hnsw,
        String media,
        String moderation) {

    /** {@code {"m": …, "ef_construction": …}}, either optional. */
    public record HnswRequest(Integer m, Integer efConstruction) {
    }
}
