package dev.sightline.retrieval.api;

import com.fasterxml.jackson.databind.JsonNode;
import jakarta.validation.constraints.Positive;

/**
 * {@code POST /collections/{name}/search}: exactly one of {@code vector} and {@code item_id} (none for a keyword
 * search); {@code model}, the model the vector is from when the caller embedded it (409 {@code model-changed} when
 * the collection holds another); {@code mode} vector (default), keyword or hybrid, the last two with
 * {@code keywords}.
 */
public record SearchRequest(float[] vector, String itemId, @Positive Integer topK, String modality, JsonNode filter,
        Double minScore, @Positive Integer efSearch, String model, String mode, String keywords) {
}
