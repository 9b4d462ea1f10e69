package dev.sightline.retrieval.duplicates;

import com.fasterxml.jackson.annotation.JsonInclude;

/**
 * What an upsert with {@code on_duplicate} did with one item: {@code stored}, {@code skipped} (a duplicate, not
 * stored), {@code replaced} (not stored: a later item of the same request replaced it, and {@code duplicateOf} names
 * that one) or {@code stale} (not written: a newer version of it is stored, and it replaced nothing);
 * {@code duplicateOf} and {@code score} name the item it duplicates, {@code replaced} is true when that item was
 * deleted for it.
 */
@JsonInclude(JsonInclude.Include.NON_NULL)
public record Outcome(String id, String status, String duplicateOf, Double score, Boolean replaced) {

    /** The same item, not written because a newer version is stored: it replaced nothing. */
    public Outcome stale() {
        return new Outcome(id, "stale", duplicateOf, score, null);
    }
}
