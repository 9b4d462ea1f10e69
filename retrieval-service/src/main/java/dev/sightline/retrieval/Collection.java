package dev.sightline.retrieval;

import java.time.OffsetDateTime;

/**
 * A tenant's collection as stored; {@code id} is internal and never leaves the service; {@code moderation} is the
 * name of the moderation policy its ingest applies, or null.
 */
public record Collection(long id, String tenant, String name, int dimension, String metric, String model,
        int hnswM, int hnswEfConstruction, OffsetDateTime createdAt, Precision precision, MediaMode media,
        String moderation) {
}
