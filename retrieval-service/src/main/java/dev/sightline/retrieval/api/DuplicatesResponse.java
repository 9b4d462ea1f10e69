package dev.sightline.retrieval.api;

import com.fasterxml.jackson.annotation.JsonInclude;
import dev.sightline.retrieval.duplicates.Groups;
import java.util.List;

/** The near-duplicate groups of a collection; {@code modality} null when both were scanned. */
public record DuplicatesResponse(String collection, double threshold,
        @JsonInclude(JsonInclude.Include.ALWAYS) String modality, long scanned, List<Groups.Group> groups) {
}
