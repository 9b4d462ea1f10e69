package dev.sightline.embed.api;

import jakarta.validation.constraints.NotEmpty;
import jakarta.validation.constraints.NotNull;
import java.util.List;

/** {@code POST /classify/labels}: labels (and templates) to embed for a saved classifier, with the model. */
public record LabelsRequest(@NotEmpty(message = "must contain at least two labels") List<@NotNull String> labels,
        List<@NotNull String> templates, String model) {
}
