package dev.sightline.retrieval.api;

import dev.sightline.retrieval.SearchHit;
import java.util.List;

/** Nearest neighbours, best first. */
public record SearchResponse(List<SearchHit> results) {
}
