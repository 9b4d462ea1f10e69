package dev.sightline.retrieval.api;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.sightline.common.problem.CommonProblem;
import dev.sightline.common.problem.ProblemException;
import java.math.BigDecimal;
import java.nio.charset.StandardCharsets;
import java.util.Map;

/**
 * A client's JSON object (item metadata, a search filter) checked for everything jsonb would refuse or choke on:
 * it must be an object, within the byte and depth bounds, with storable keys and strings
 * ({@link StorableText}) and numbers that jsonb's numeric holds (a JSON {@code 1e999} reads as an infinite double).
 */
final class JsonObjects {

    private static final ObjectMapper JSON = new ObjectMapper();
    /** Far inside numeric's range (131072 digits before the point, 16383 after) and any sane value. */
    private static final int MAX_NUMBER_DIGITS = 1000;

    /** The limits of one kind of object. */
    record Bounds(int maxBytes, int maxDepth) {
    }

    private JsonObjects() {
    }

    /** The object as compact JSON, or {@code absent} when the node is missing or JSON null. */
    static String of(JsonNode node, String what, Bounds bounds, String absent) {
        if (node == null || node.isNull()) {
            return absent;
        }
        if (!node.isObject()) {
            throw new ProblemException(CommonProblem.INVALID_REQUEST, what + " must be a JSON object.");
        }
        String json = write(node, what);
        if (json.getBytes(StandardCharsets.UTF_8).length > bounds.maxBytes()) {
            throw new ProblemException(CommonProblem.PAYLOAD_TOO_LARGE,
                    what + " is larger than " + bounds.maxBytes() + " bytes.");
        }
        check(node, what, 1, bounds.maxDepth());
        return json;
    }

    private static void check(JsonNode node, String what, int depth, int maxDepth) {
        if (node.isContainerNode()) {
            if (depth > maxDepth) {
                throw new ProblemException(CommonProblem.INVALID_REQUEST,
                        what + " is nested deeper than " + maxDepth + " levels.");
            }
            if (node.isObject()) {
                for (Map.Entry<String, JsonNode> e : node.properties()) {
                    if (!StorableText.isStorable(e.getKey())) {
                        throw unstorable(what);
                    }
                    check(e.getValue(), what, depth + 1, maxDepth);
                }
            } else {
                for (JsonNode child : node) {
                    check(child, what, depth + 1, maxDepth);
                }
            }
        } else if (node.isTextual()) {
            if (!StorableText.isStorable(node.textValue())) {
                throw unstorable(what);
            }
        } else if (node.isNumber() && !storableNumber(node)) {
            throw new ProblemException(CommonProblem.INVALID_REQUEST, what + " has a number out of range.");
        }
    }

    private static boolean storableNumber(JsonNode n) {
        if (n.isBigDecimal()) {
            BigDecimal d = n.decimalValue();
            return Math.abs(d.scale()) <= MAX_NUMBER_DIGITS && d.precision() - d.scale() <= MAX_NUMBER_DIGITS;
        }
        return !n.isFloatingPointNumber() || Double.isFinite(n.doubleValue());
    }

    private static ProblemException unstorable(String what) {
        return new ProblemException(CommonProblem.INVALID_REQUEST, what
                + " has a key or string with a NUL character or an unpaired surrogate; neither can be stored.");
    }

    private static String write(JsonNode node, String what) {
        try {
            return JSON.writeValueAsString(node);
        } catch (JsonProcessingException e) {
            throw new ProblemException(CommonProblem.INVALID_REQUEST, what + " is not valid JSON.");
        }
    }
}
