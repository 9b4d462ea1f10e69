package dev.sightline.retrieval.api;

import jakarta.validation.Valid;
import jakarta.validation.constraints.NotEmpty;
import jakarta.validation.constraints.NotNull;
import java.util.List;

/**
 * {@code POST /collections/{name}/items}.
 *
 * @param model the model the vectors are from, when the writer embedded them (the gateway): a collection that holds
 *        another model now answers 409 {@code model-changed}
 * @param onDuplicate {@code keep}, {@code skip} or {@code replace}: near-duplicate handling; absent: none
 * @param duplicateThreshold the cosine similarity from which items are duplicates (absent: the configured default)
 * @param judgedBy the moderation policy the writer judged the items with ("" for none; absent: not judged): a
 *        collection that applies another one now answers 409 {@code moderation-changed}
 */
public record UpsertRequest(@NotEmpty List<@NotNull @Valid ItemInput> items, String model, String onDuplicate,
        Double duplicateThreshold, String judgedBy) {
}
