package dev.sightline.retrieval.api;

/** {@code POST /collections/{name}/duplicates}: both optional. */
public record DuplicatesRequest(Double threshold, String modality) {
}
