package dev.sightline.embed.classify;

import java.nio.ByteBuffer;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import java.util.List;

/**
 * The cache key of one label's prompt-ensembled embedding: the label and a digest of the template list.
 *
 * <p>The digest keeps a key small whatever the templates (the cache holds thousands), and the length-prefixed
 * encoding makes it unambiguous: no choice of characters in one request's templates or label can produce another
 * request's key and so read or plant its cached embedding.
 */
record PromptKey(String model, String templates, String label) {

    /** The digest of a template list, computed once per request. */
    static String digest(List<String> templates) {
        MessageDigest sha;
        try {
            sha = MessageDigest.getInstance("SHA-256");
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("every JDK has SHA-256", e);
        }
        for (String t : templates) {
            // The UTF-16 units themselves: a charset encoder would map malformed text to one replacement.
            ByteBuffer chars = ByteBuffer.allocate(4 + 2 * t.length()).putInt(t.length());
            chars.asCharBuffer().put(t);
            sha.update(chars.array());
        }
        return HexFormat.of().formatHex(sha.digest());
    }
}
