package dev.sightline.embed.api;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.databind.PropertyNamingStrategies;
import com.fasterxml.jackson.databind.annotation.JsonNaming;
import java.util.List;

/**
 * Embeddings in request order: float arrays, or base64 strings of little-endian float32 when asked.
 *
 * @param tokens token counts per text (text requests only)
 * @param thumbnails the images' thumbnails, in order (image requests that asked for them only)
 * @param sources the images' formats and hashes, in order (image requests that asked for them only)
 */
@JsonInclude(JsonInclude.Include.NON_NULL)
public record EmbedResponse(String model, int dimensions, List<Object> embeddings, List<Integer> tokens,
        List<ThumbnailView> thumbnails, List<SourceView> sources) {

    /** An image as received: its media type (from its signature) and the SHA-256 of its bytes, in hex. */
    @JsonNaming(PropertyNamingStrategies.SnakeCaseStrategy.class)
    public record SourceView(String contentType, String sha256) {
    }

    /** A thumbnail as JSON: {@code data} is the encoded image in base64. */
    @JsonNaming(PropertyNamingStrategies.SnakeCaseStrategy.class)
    public record ThumbnailView(String contentType, int width, int height, String data) {
    }
}
