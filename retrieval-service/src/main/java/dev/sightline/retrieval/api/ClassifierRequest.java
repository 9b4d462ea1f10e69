package dev.sightline.retrieval.api;

import jakarta.validation.constraints.NotBlank;
import jakarta.validation.constraints.NotEmpty;
import jakarta.validation.constraints.NotNull;
import jakarta.validation.constraints.Size;
import java.util.List;

/** {@code PUT /classifiers/{name}}: labels, templates and one vector per label (computed by the caller). */
public record ClassifierRequest(
        @NotBlank @Size(max = 200) String model,
        @NotEmpty @Size(min = 2, max = 1000) List<@NotBlank String> labels,
        @NotEmpty @Size(max = 32) List<@NotBlank String> templates,
        @NotEmpty List<@NotNull float[]> labelVectors) {
}
