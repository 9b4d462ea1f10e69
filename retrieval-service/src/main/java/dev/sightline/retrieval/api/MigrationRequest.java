package dev.sightline.retrieval.api;

import jakarta.validation.constraints.NotBlank;
import jakarta.validation.constraints.NotNull;

/** {@code POST /collections/{name}/migrations}: the model to move to and its dimension (the gateway knows both). */
public record MigrationRequest(@NotBlank String model, @NotNull Integer dimension) {
}
