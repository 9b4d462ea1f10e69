package dev.sightline.retrieval;

/**
 * A validated search.
 *
 * @param vector the query vector; null for a keyword search, and for a search by an item ({@link #byItem})
 * @param filterJson JSON object that matching items' metadata must contain, or null
 * @param excludeId item id left out of the results (searching by an item), or null
 * @param keywords the words of a keyword or hybrid search (web search syntax), or null
 */
public record SearchQuery(float[] vector, int topK, Modality modality, String filterJson, Double minScore,
        int efSearch, String excludeId, SearchMode mode, String keywords) {

    /** A vector search. */
    public SearchQuery(float[] vector, int topK, Modality modality, String filterJson, Double minScore, int efSearch,
            String excludeId) {
        this(vector, topK, modality, filterJson, minScore, efSearch, excludeId, SearchMode.VECTOR, null);
    }

    /** A vector or hybrid search that ranks by the stored vector of the item {@link #excludeId}, read in the SQL. */
    public boolean byItem() {
        return vector == null && mode != SearchMode.KEYWORD;
    }
}
