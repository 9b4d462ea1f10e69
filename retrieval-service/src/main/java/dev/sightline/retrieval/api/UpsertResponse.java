package dev.sightline.retrieval.api;

import com.fasterxml.jackson.annotation.JsonInclude;
import dev.sightline.retrieval.duplicates.Outcome;
import java.util.List;

/**
 * Answered only after the batch is committed.
 *
 * @param upserted items written
 * @param stale ids not written because the store holds a newer version of them (sorted)
 * @param items with {@code on_duplicate}: what became of each item, in request order (else absent)
 */
@JsonInclude(JsonInclude.Include.NON_NULL)
public record UpsertResponse(String collection, int upserted, List<String> stale, List<Outcome> items) {

    public UpsertResponse(String collection, int upserted, List<String> stale) {
        this(collection, upserted, stale, null);
    }
}
