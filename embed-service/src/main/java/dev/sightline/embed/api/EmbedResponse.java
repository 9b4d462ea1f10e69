package dev.sightline.embed.api;

import com.fasterxml.jackson.annotation.JsonInclude;
import java.util.List;

/**
 * Embeddings in request order: float arrays, or base64 strings of little-endian float32 when asked.
 *
 * @param tokens token counts per text (text requests only)
 */
@JsonInclude(JsonInclude.Include.NON_NULL)
public record EmbedResponse(String model, int dimensions, List<Object> embeddings, List<Integer> tokens) {
}
