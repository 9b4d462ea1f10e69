package dev.sightline.retrieval;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonRawValue;

/**
 * One search result; {@code score} is the cosine similarity to the query.
 *
 * @param metadata the stored jsonb object as PostgreSQL writes it, passed into the answer as it is (it is valid JSON:
 *     parsing it only to write it again cost every search a parse per hit)
 * @param thumbnail whether the item keeps a thumbnail (written only when it does)
 */
public record SearchHit(String id, double score, Modality modality, String text, @JsonRawValue String metadata,
        @JsonInclude(JsonInclude.Include.NON_DEFAULT) boolean thumbnail) {
}
