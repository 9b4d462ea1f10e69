package dev.sightline.retrieval.api;

import jakarta.validation.constraints.NotBlank;
import jakarta.validation.constraints.NotNull;
import jakarta.validation.constraints.Positive;
import jakarta.validation.constraints.Size;

/**
 * {@code PUT /collections/{name}}.
 *
 * @param precision {@code float32} (absent: the default) or {@code float16}
 */
public record CollectionRequest(
        @NotNull @Positive Integer dimension,
        @NotBlank @Size(max = 200) String model,
        String precision) {
}
