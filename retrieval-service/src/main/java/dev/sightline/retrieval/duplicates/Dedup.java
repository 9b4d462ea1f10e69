package dev.sightline.retrieval.duplicates;

/** An upsert's duplicate handling: what to do, and the cosine similarity from which two items are duplicates. */
public record Dedup(OnDuplicate action, double threshold) {
}
