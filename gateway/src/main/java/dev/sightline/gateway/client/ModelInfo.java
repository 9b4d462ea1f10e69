package dev.sightline.gateway.client;

import java.util.List;

/** The model embed-service serves: its id, vector dimension, CLIP logit scale and the modalities it embeds. */
public record ModelInfo(String id, int dimensions, float logitScale, List<String> modalities) {
}
