package dev.sightline.common.text;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.Iterator;
import java.util.Map;

/**
 * Whether text can be stored and embedded as sent: PostgreSQL's text and jsonb refuse NUL (U+0000), and a lone
 * UTF-16 surrogate has no UTF-8 encoding. Such input is the sender's error, answered 400 where it enters the
 * platform, rather than a database error for everybody downstream.
 */
public final class StorableText {

    private StorableText() {
    }

    /** What is wrong with a string, or null when nothing is. */
    public static String problem(String s) {
        if (s == null) {
            return null;
        }
        for (int i = 0; i < s.length(); i++) {
            char c = s.charAt(i);
            if (c == '\u0000') {
                return "contains a NUL character (U+0000)";
            }
            if (Character.isHighSurrogate(c)) {
                if (i + 1 < s.length() && Character.isLowSurrogate(s.charAt(i + 1))) {
                    i++;
                    continue;
                }
                return "contains a lone UTF-16 surrogate";
            }
            if (Character.isLowSurrogate(c)) {
                return "contains a lone UTF-16 surrogate";
            }
        }
        return null;
    }

    /** The first string or field name in a JSON tree that is not storable, as "path: problem", or null. */
    public static String firstProblem(JsonNode node) {
        return firstProblem(node, "");
    }

    private static String firstProblem(JsonNode node, String path) {
        if (node == null) {
            return null;
        }
        if (node.isTextual()) {
            String p = problem(node.textValue());
            return p == null ? null : label(path) + " " + p;
        }
        if (node.isArray()) {
            for (int i = 0; i < node.size(); i++) {
                String p = firstProblem(node.get(i), path + "[" + i + "]");
                if (p != null) {
                    return p;
                }
            }
        } else if (node.isObject()) {
            for (Iterator<Map.Entry<String, JsonNode>> it = node.fields(); it.hasNext();) {
                Map.Entry<String, JsonNode> e = it.next();
                String keyProblem = problem(e.getKey());
                String child = path.isEmpty() ? e.getKey() : path + "." + e.getKey();
                if (keyProblem != null) {
                    return "a field name in " + label(path) + " " + keyProblem;
                }
                String p = firstProblem(e.getValue(), child);
                if (p != null) {
                    return p;
                }
            }
        }
        return null;
    }

    private static String label(String path) {
        return path.isEmpty() ? "the body" : "'" + path.replace("\u0000", "\\u0000") + "'";
    }
}
