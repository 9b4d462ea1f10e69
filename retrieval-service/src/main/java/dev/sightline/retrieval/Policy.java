package dev.sightline.retrieval;

import com.fasterxml.jackson.annotation.JsonInclude;
import java.time.OffsetDateTime;
import java.util.List;

/**
 * A tenant's moderation policy; {@code promptVectors} (per category, one vector per prompt, then one per benign
 * prompt, all made by {@code model}) only when asked for.
 */
@JsonInclude(JsonInclude.Include.NON_NULL)
public record Policy(String name, String model, List<Category> categories, List<List<float[]>> promptVectors,
        OffsetDateTime createdAt, OffsetDateTime updatedAt) {

    /** One concept to catch: its prompts, the benign prompts it is weighed against, a threshold and an action. */
    public record Category(String name, List<String> prompts, List<String> benign, double threshold, String action) {
    }
}
