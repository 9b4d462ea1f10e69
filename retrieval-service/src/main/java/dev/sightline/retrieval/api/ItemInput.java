package dev.sightline.retrieval.api;

import com.fasterxml.jackson.databind.JsonNode;
import jakarta.validation.constraints.NotNull;

/** One item of an upsert. */
public record ItemInput(@NotNull String id, @NotNull float[] vector, @NotNull String modality, String text,
        JsonNode metadata) {
}
