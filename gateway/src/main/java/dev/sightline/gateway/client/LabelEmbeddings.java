package dev.sightline.gateway.client;

import io.vertx.core.json.JsonArray;

/** One prompt-ensembled vector per label, with the model and the templates that made them. */
public record LabelEmbeddings(String model, JsonArray templates, JsonArray vectors) {
}
