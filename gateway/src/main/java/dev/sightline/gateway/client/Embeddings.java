package dev.sightline.gateway.client;

import io.vertx.core.json.JsonArray;

/**
 * Vectors as embed-service wrote them, in input order: float arrays, or base64 strings when asked for, passed on
 * without re-encoding; and the token count of texts.
 */
public record Embeddings(JsonArray vectors, int tokens) {

    /** No inputs, no vectors. */
    public static final Embeddings NONE = new Embeddings(new JsonArray(), 0);

    /** Vector i as floats (float encoding only). */
    public float[] floats(int i) {
        return toFloats(vectors.getJsonArray(i));
    }

    /** A JSON array of numbers as floats. */
    public static float[] toFloats(JsonArray a) {
        float[] v = new float[a.size()];
        for (int k = 0; k < v.length; k++) {
            v[k] = ((Number) a.getValue(k)).floatValue();
        }
        return v;
    }
}
