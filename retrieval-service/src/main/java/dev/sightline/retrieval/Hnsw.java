package dev.sightline.retrieval;

/**
 * A collection's HNSW graph settings, fixed at creation: {@code m} links per node and the candidate list
 * {@code ef_construction} of the build. More of either gives a better-connected graph (higher recall at the same
 * ef_search, notably on large collections of clustered items) for a longer build and, with m, a larger index.
 */
public record Hnsw(int m, int efConstruction) {
}
