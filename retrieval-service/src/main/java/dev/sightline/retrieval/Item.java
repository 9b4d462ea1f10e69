package dev.sightline.retrieval;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.databind.JsonNode;
import java.time.OffsetDateTime;

/**
 * One stored item; {@code vector} is null unless asked for. {@code sourceSha256} is the SHA-256 (hex) of an image
 * item's uploaded bytes, kept whatever the collection's media mode so that a client (the folder indexer) can tell
 * whether a file is already indexed; null for text items and items written without it (bulk lines, vectors).
 */
public record Item(String id, Modality modality, @JsonInclude(JsonInclude.Include.NON_NULL) float[] vector, String text, JsonNode metadata,
        String sourceSha256, OffsetDateTime createdAt, OffsetDateTime updatedAt) {
}
