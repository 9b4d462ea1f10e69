package dev.sightline.retrieval.media;

import dev.sightline.common.hash.Sha256;
import java.util.HexFormat;

/**
 * Bytes to keep, named by their SHA-256.
 *
 * @param contentType an {@code image/…} MIME type
 */
public record Blob(byte[] sha256, String contentType, byte[] bytes) {

    /** The blob of these bytes, hashed here. */
    public static Blob of(String contentType, byte[] bytes) {
        return new Blob(Sha256.of(bytes), contentType, bytes);
    }

    /** The hash in lower-case hex. */
    public String hex() {
        return HexFormat.of().formatHex(sha256);
    }
}
