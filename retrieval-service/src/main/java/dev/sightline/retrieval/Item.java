package dev.sightline.retrieval;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.databind.JsonNode;
import java.time.OffsetDateTime;

/** One stored item; {@code vector} is null unless asked for. */
public record Item(String id, Modality modality, @JsonInclude(JsonInclude.Include.NON_NULL) float[] vector, String text, JsonNode metadata,
        OffsetDateTime createdAt, OffsetDateTime updatedAt) {
}
