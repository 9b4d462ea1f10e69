package dev.sightline.retrieval.api;

import dev.sightline.retrieval.Classifier;
import java.util.List;

/** {@code GET /classifiers}. */
public record ClassifierList(List<Classifier> classifiers) {
}
