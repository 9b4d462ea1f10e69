package dev.sightline.retrieval.api;

import java.util.List;

/**
 * Answered only after the batch is committed.
 *
 * @param upserted items written
 * @param stale ids not written because the store holds a newer version of them (sorted)
 */
public record UpsertResponse(String collection, int upserted, List<String> stale) {
}
