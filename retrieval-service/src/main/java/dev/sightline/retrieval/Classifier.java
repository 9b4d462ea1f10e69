package dev.sightline.retrieval;

import com.fasterxml.jackson.annotation.JsonInclude;
import java.time.OffsetDateTime;
import java.util.List;

/** A saved zero-shot classifier; {@code labelVectors} only when asked for. */
@JsonInclude(JsonInclude.Include.NON_NULL)
public record Classifier(String name, String model, List<String> labels, List<String> templates,
        List<float[]> labelVectors, OffsetDateTime createdAt, OffsetDateTime updatedAt) {
}
