package dev.sightline.retrieval.api;

import jakarta.validation.constraints.NotBlank;
import jakarta.validation.constraints.NotEmpty;
import jakarta.validation.constraints.NotNull;
import jakarta.validation.constraints.Size;
import java.util.List;

/**
 * {@code PUT /classifiers/{name}}: labels, templates and one vector per label (computed by the caller); the counts
 * are bounded by configuration ({@link RequestChecks#classifier}).
 */
public record ClassifierRequest(
        @NotBlank @Size(max = 200) String model,
        @NotEmpty List<@NotBlank String> labels,
        @NotEmpty List<@NotBlank String> templates,
        @NotEmpty List<@NotNull float[]> labelVectors) {
}
