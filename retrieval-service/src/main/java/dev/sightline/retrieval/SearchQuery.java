package dev.sightline.retrieval;

/**
 * A validated nearest-neighbour query.
 *
 * @param filterJson JSON object that matching items' metadata must contain, or null
 * @param excludeId item id left out of the results (searching by an item), or null
 */
public record SearchQuery(float[] vector, int topK, Modality modality, String filterJson, Double minScore,
        int efSearch, String excludeId) {
}
