package dev.sightline.retrieval;

import java.time.OffsetDateTime;
import java.util.UUID;

/**
 * A re-embedding job as stored.
 *
 * @param collectionId the live collection's row (gone once the migration succeeded)
 * @param shadowId the collection being filled, live once the migration succeeded
 * @param cursor the last item id copied by the scan
 * @param scanned the scan reached the end; only written ids (dirty) remain before the switch
 * @param dirty ids written in the live collection since and not yet copied again
 */
public record Migration(UUID id, String tenant, String collection, long collectionId, long shadowId, String fromModel,
        String model, int dimension, String state, long total, long done, String cursor, boolean scanned, String error,
        OffsetDateTime createdAt, OffsetDateTime startedAt, OffsetDateTime finishedAt, long dirty) {
}
