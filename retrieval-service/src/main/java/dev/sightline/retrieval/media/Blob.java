package dev.sightline.retrieval.media;

import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;

/**
 * Bytes to keep, named by their SHA-256.
 *
 * @param contentType an {@code image/…} MIME type
 */
public record Blob(byte[] sha256, String contentType, byte[] bytes) {

    /** The blob of these bytes, hashed here. */
    public static Blob of(String contentType, byte[] bytes) {
        return new Blob(sha256(bytes), contentType, bytes);
    }

    /** The hash in lower-case hex. */
    public String hex() {
        return HexFormat.of().formatHex(sha256);
    }

    /** SHA-256 of the bytes. */
    public static byte[] sha256(byte[] bytes) {
        try {
            return MessageDigest.getInstance("SHA-256").digest(bytes);
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("every JDK has SHA-256", e);
        }
    }
}
