package dev.sightline.gateway.client;

import io.vertx.core.json.JsonArray;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.util.Base64;

/**
 * Vectors as embed-service wrote them, in input order: float arrays, or base64 strings when asked for, passed on
 * without re-encoding; the token count of texts; and, for images when asked for, each one's source
 * ({@code {content_type, sha256}}) and thumbnail ({@code {content_type, width, height, data}}), null where there is
 * none (a text's place in a mixed call).
 */
public record Embeddings(JsonArray vectors, int tokens, JsonArray sources, JsonArray thumbnails) {

    /** No inputs, no vectors. */
    public static final Embeddings NONE = new Embeddings(new JsonArray(), 0);

    /** Vectors and token count only. */
    public Embeddings(JsonArray vectors, int tokens) {
        this(vectors, tokens, null, null);
    }

    /** Vector i as floats (float encoding only). */
    public float[] floats(int i) {
        return toFloats(vectors.getJsonArray(i));
    }

    /** Vector i of base64 encoding (standard base64 of little-endian float32, as embed-service writes it). */
    public float[] base64Floats(int i) {
        ByteBuffer bytes = ByteBuffer.wrap(Base64.getDecoder().decode(vectors.getString(i)))
                .order(ByteOrder.LITTLE_ENDIAN);
        float[] v = new float[bytes.remaining() / Float.BYTES];
        bytes.asFloatBuffer().get(v);
        return v;
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
