package dev.sightline.retrieval;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonRawValue;

/**
 * One search result; {@code score} is the cosine similarity to the query.
 *
 * @param metadata the stored jsonb object as PostgreSQL writes it, passed into the answer as it is (it is valid JSON:
 *     parsing it only to write it again cost every search a parse per hit)
 * @param thumbnail whether the item keeps a thumbnail (written only when it does)
 * @param matched for keyword and hybrid searches, the rankings the item came from ("vector", "keyword"); the score
 *     is then the keyword rank's (keyword) or the reciprocal rank fusion's (hybrid), not a cosine
 */
public record SearchHit(String id, double score, Modality modality, String text, @JsonRawValue String metadata,
        @JsonInclude(JsonInclude.Include.NON_DEFAULT) boolean thumbnail,
        @JsonInclude(JsonInclude.Include.NON_NULL) java.util.List<String> matched) {

    /** A hit of a vector search. */
    public SearchHit(String id, double score, Modality modality, String text, String metadata, boolean thumbnail) {
        this(id, score, modality, text, metadata, thumbnail, null);
    }
}
