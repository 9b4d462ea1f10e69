package dev.sightline.retrieval.bench;

/** One search: the ids (indexes into the data) of the hits, best first; null where there are no hits to score. */
@FunctionalInterface
interface Search {
    int[] run(int worker, int query) throws Exception;
}
