package dev.sightline.retrieval.bench;

/** The points of one ef_search: through the service over HTTP and the service's SQL directly, at c=1 and c=16. */
record Row(int ef, Point http1, Point direct1, Point http16, Point direct16) {
}
