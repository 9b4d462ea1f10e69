package dev.sightline.embed.api;

import com.fasterxml.jackson.annotation.JsonProperty;
import jakarta.validation.constraints.NotBlank;
import jakarta.validation.constraints.NotEmpty;
import jakarta.validation.constraints.NotNull;
import jakarta.validation.constraints.Positive;
import java.util.List;

/** {@code POST /classify}: an image and the labels to choose from, with the model ({@code null}: the default). */
public record ClassifyRequest(
        @NotBlank(message = "is required") String image,
        @NotEmpty(message = "must contain at least two labels") List<@NotNull String> labels,
        List<@NotNull String> templates,
        @JsonProperty("top_k") @Positive Integer topK, String model) {
}
