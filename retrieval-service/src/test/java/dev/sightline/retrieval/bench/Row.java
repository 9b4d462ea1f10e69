package dev.sightline.retrieval.bench;

/** The points of one ef_search: HTTP at c=1 and c=16, the service's SQL directly, and that with its row lock. */
record Row(int ef, Point http1, Point http16, Point direct1, Point locked1) {
}
