package dev.sightline.retrieval.api;

/** Answered only after the batch is committed. */
public record UpsertResponse(String collection, int upserted) {
}
