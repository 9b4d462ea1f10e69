package dev.sightline.retrieval.api;

import jakarta.validation.Valid;
import jakarta.validation.constraints.NotEmpty;
import jakarta.validation.constraints.NotNull;
import java.util.List;

/** {@code POST /collections/{name}/items}. */
public record UpsertRequest(@NotEmpty List<@NotNull @Valid ItemInput> items) {
}
