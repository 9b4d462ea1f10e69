package dev.sightline.retrieval.media;

/** A kept blob as read back: its type, bytes and hash (the HTTP entity tag). */
public record StoredMedia(String contentType, byte[] bytes, String sha256Hex) {
}
