package dev.sightline.gateway.service;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.vertx.core.json.JsonObject;

/** Conversions between the request trees Jackson parsed and the Vert.x JSON sent to the backends. */
final class Json {

    private static final ObjectMapper MAPPER = new ObjectMapper();

    private Json() {
    }

    /** A parsed JSON object as a Vert.x object (null stays null); anything but an object is the sender's error. */
    static JsonObject object(JsonNode node, String what) {
        if (node == null || node.isNull()) {
            return null;
        }
        if (!node.isObject()) {
            throw Problems.invalid(what + " must be a JSON object.");
        }
        try {
            return new JsonObject(MAPPER.writeValueAsString(node));
        } catch (JsonProcessingException e) {
            throw new IllegalStateException(e);
        }
    }

    /** Parses a JSON text (e.g. a form field). */
    static JsonNode parse(String text) throws JsonProcessingException {
        return MAPPER.readTree(text);
    }

    /** A Vert.x JSON object as a Jackson tree. */
    static JsonNode tree(JsonObject o) {
        return MAPPER.valueToTree(o.getMap());
    }
}
