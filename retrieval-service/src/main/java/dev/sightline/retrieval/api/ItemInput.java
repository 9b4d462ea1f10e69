package dev.sightline.retrieval.api;

import com.fasterxml.jackson.databind.JsonNode;
import jakarta.validation.constraints.NotNull;
import jakarta.validation.constraints.Positive;

/**
 * One item of an upsert.
 *
 * @param version the write's version (the gateway's: microseconds since the epoch); a stored item with a higher
 *        version is kept. Absent: the store assigns one and the write always applies.
 * @param media what an image item keeps, as far as its collection keeps media (absent: nothing)
 */
public record ItemInput(@NotNull String id, @NotNull float[] vector, @NotNull String modality, String text,
        JsonNode metadata, @Positive Long version, MediaInput media) {

    /**
     * {@code {"source_sha256", "thumbnail"?, "original"?}}: the SHA-256 (hex) of the uploaded image, and the blobs
     * to keep.
     */
    public record MediaInput(String sourceSha256, Part thumbnail, Part original) {
    }

    /** {@code {"content_type", "data"}}: {@code data} is base64. */
    public record Part(String contentType, byte[] data) {
    }
}
