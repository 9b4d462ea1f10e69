package dev.sightline.embed.api;

import jakarta.validation.constraints.NotEmpty;
import jakarta.validation.constraints.NotNull;
import jakarta.validation.constraints.Pattern;
import java.util.List;

/** {@code POST /embed/text}: texts to embed, with the model's id ({@code null}: the default model). */
public record TextEmbedRequest(
        @NotEmpty(message = "must contain at least one text") List<@NotNull String> texts,
        @Pattern(regexp = "float|base64", message = "must be float or base64") String encoding, String model) {
}
