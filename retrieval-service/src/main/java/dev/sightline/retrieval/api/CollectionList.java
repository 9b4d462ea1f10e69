package dev.sightline.retrieval.api;

import java.util.List;

/** {@code GET /collections}. */
public record CollectionList(List<CollectionView> collections) {
}
