package dev.sightline.retrieval.api;

import com.fasterxml.jackson.annotation.JsonInclude;
import dev.sightline.retrieval.Collection;
import java.time.OffsetDateTime;
import java.util.Map;

/** A collection as the API shows it; {@code counts} (items by modality) only on single reads. */
@JsonInclude(JsonInclude.Include.NON_NULL)
public record CollectionView(String name, int dimension, String metric, String model, OffsetDateTime createdAt,
        Map<String, Long> counts) {

    static CollectionView of(Collection c, Map<String, Long> counts) {
        return new CollectionView(c.name(), c.dimension(), c.metric(), c.model(), c.createdAt(), counts);
    }
}
