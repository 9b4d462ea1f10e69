package dev.sightline.embed.api;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;

/** Writes embeddings as float arrays or as base64 of little-endian float32. */
final class EmbeddingFormat {

    private EmbeddingFormat() {
    }

    static List<Object> encode(List<float[]> vectors, String encoding) {
        List<Object> out = new ArrayList<>(vectors.size());
        boolean base64 = "base64".equals(encoding);
        for (float[] v : vectors) {
            if (base64) {
                ByteBuffer buf = ByteBuffer.allocate(v.length * 4).order(ByteOrder.LITTLE_ENDIAN);
                buf.asFloatBuffer().put(v);
                out.add(Base64.getEncoder().encodeToString(buf.array()));
            } else {
                out.add(v);
            }
        }
        return out;
    }
}
