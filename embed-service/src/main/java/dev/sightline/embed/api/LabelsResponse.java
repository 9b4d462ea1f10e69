package dev.sightline.embed.api;

import java.util.List;

/** One prompt-ensembled label embedding per label, in order, and the logit scale to score them with. */
public record LabelsResponse(String model, float logitScale, List<String> templates, List<float[]> embeddings) {
}
