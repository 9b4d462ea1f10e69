package dev.sightline.retrieval;

import com.fasterxml.jackson.databind.JsonNode;

/** One search result; {@code score} is the cosine similarity to the query. */
public record SearchHit(String id, double score, Modality modality, String text, JsonNode metadata) {
}
