package dev.sightline.retrieval.duplicates;

import com.fasterxml.jackson.annotation.JsonInclude;

/**
 * What an upsert with {@code on_duplicate} did with one item: {@code stored}, {@code skipped} (a duplicate, not
 * stored) or {@code replaced} (stored by nobody: a later item of the same request replaced it); {@code duplicateOf}
 * and {@code score} name the item it duplicates, {@code replaced} is true when that item was deleted for it.
 */
@JsonInclude(JsonInclude.Include.NON_NULL)
public record Outcome(String id, String status, String duplicateOf, Double score, Boolean replaced) {

    static Outcome stored(String id) {
        return new Outcome(id, "stored", null, null, null);
    }
}
