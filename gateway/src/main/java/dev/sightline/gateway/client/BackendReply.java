package dev.sightline.gateway.client;

import io.vertx.core.json.JsonObject;

/** A backend's successful answer: its status (e.g. 201 vs 200 for a create-or-replace) and JSON body (null for 204). */
public record BackendReply(int status, JsonObject json) {
}
