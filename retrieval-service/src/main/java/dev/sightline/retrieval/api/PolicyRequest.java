package dev.sightline.retrieval.api;

import jakarta.validation.Valid;
import jakarta.validation.constraints.NotBlank;
import jakarta.validation.constraints.NotEmpty;
import jakarta.validation.constraints.NotNull;
import jakarta.validation.constraints.Size;
import java.util.List;

/**
 * {@code PUT /moderation/policies/{name}}: the categories and, per category, one vector per prompt and then one per
 * benign prompt, made by {@code model} (the caller embeds them); counts bounded by configuration
 * ({@link RequestChecks#policy}); {@code ifUpdatedAt}, when given, replaces the policy only if it was last written
 * then (a calibration writing back what it read).
 */
public record PolicyRequest(
        @NotBlank @Size(max = 200) String model,
        @NotEmpty List<@NotNull @Valid CategoryInput> categories,
        @NotEmpty List<@NotNull List<@NotNull float[]>> promptVectors,
        java.time.OffsetDateTime ifUpdatedAt) {

    /** A category as sent; {@code benign} may be absent. */
    public record CategoryInput(@NotBlank String name, @NotEmpty List<@NotBlank String> prompts, List<@NotBlank String> benign,
            @NotNull Double threshold, @NotBlank String action) {
    }
}
