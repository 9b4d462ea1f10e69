package dev.sightline.retrieval.api;

import com.fasterxml.jackson.databind.JsonNode;
import jakarta.validation.constraints.NotNull;
import jakarta.validation.constraints.Positive;

/**
 * One item of an upsert.
 *
 * @param version the write's version (the gateway's: microseconds since the epoch); a stored item with a higher
 *        version is kept. Absent: the store assigns one and the write always applies.
 */
public record ItemInput(@NotNull String id, @NotNull float[] vector, @NotNull String modality, String text,
        JsonNode metadata, @Positive Long version) {
}
