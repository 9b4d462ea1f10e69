package dev.sightline.retrieval.store;

import dev.sightline.retrieval.Modality;
import dev.sightline.retrieval.media.ItemMedia;

/**
 * A validated item to upsert; {@code metadataJson} is a JSON object.
 *
 * @param version positive, or null for the store to assign one
 */
public record NewItem(String id, Modality modality, float[] vector, String text, String metadataJson, Long version,
        ItemMedia media) {
}
