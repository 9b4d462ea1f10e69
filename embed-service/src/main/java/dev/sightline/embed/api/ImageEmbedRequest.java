package dev.sightline.embed.api;

import jakarta.validation.constraints.NotEmpty;
import jakarta.validation.constraints.NotNull;
import jakarta.validation.constraints.Pattern;
import java.util.List;

/**
 * {@code POST /embed/image}: images as base64 or data URIs.
 *
 * @param thumbnails true: the answer carries each image's JPEG thumbnail too
 * @param sources true: the answer carries each image's format and the SHA-256 of its bytes
 * @param model the model's id; {@code null}: the default model
 */
public record ImageEmbedRequest(
        @NotEmpty(message = "must contain at least one image") List<@NotNull String> images,
        @Pattern(regexp = "float|base64", message = "must be float or base64") String encoding, Boolean thumbnails,
        Boolean sources, String model) {
}
