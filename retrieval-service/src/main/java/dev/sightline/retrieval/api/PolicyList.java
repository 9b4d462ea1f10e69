package dev.sightline.retrieval.api;

import dev.sightline.retrieval.Policy;
import java.util.List;

/** {@code GET /moderation/policies}. */
public record PolicyList(List<Policy> policies) {
}
