package dev.sightline.retrieval.api;

import com.fasterxml.jackson.annotation.JsonInclude;
import dev.sightline.retrieval.Collection;
import dev.sightline.retrieval.Hnsw;
import dev.sightline.retrieval.MediaMode;
import dev.sightline.retrieval.Precision;
import dev.sightline.retrieval.store.IndexBuilder;
import java.time.OffsetDateTime;
import java.util.Map;

/**
 * A collection as the API shows it ({@code moderation}: the policy's name or null, always present); {@code counts} (items by modality) and {@code index} (its HNSW index: ready,
 * or pending / building after a bulk load) only on single reads.
 */
@JsonInclude(JsonInclude.Include.NON_NULL)
public record CollectionView(String name, int dimension, String metric, String model, Precision precision,
        Hnsw hnsw, MediaMode media, @JsonInclude(JsonInclude.Include.ALWAYS) String moderation, OffsetDateTime createdAt, Map<String, Long> counts, IndexBuilder.State index,
        MigrationView migration) {

    static CollectionView of(Collection c) {
        return of(c, null, null, null);
    }

    /** A single read: with counts, the index state and the migration queued or running, if any. */
    static CollectionView of(Collection c, Map<String, Long> counts, IndexBuilder.State index, MigrationView migration) {
        return new CollectionView(c.name(), c.dimension(), c.metric(), c.model(), c.precision(),
                new Hnsw(c.hnswM(), c.hnswEfConstruction()), c.media(), c.moderation(), c.createdAt(), counts, index, migration);
    }
}
