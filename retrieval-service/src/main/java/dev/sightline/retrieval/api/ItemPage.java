package dev.sightline.retrieval.api;

import dev.sightline.retrieval.Item;
import java.util.List;

/** {@code GET /collections/{name}/items}: a page of items and where the next one starts (null: none). */
public record ItemPage(List<Item> items, String nextAfter) {
}
