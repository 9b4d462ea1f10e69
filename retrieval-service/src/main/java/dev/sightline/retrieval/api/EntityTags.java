package dev.sightline.retrieval.api;

import java.util.regex.Matcher;
import java.util.regex.Pattern;

/** Entity tags of kept media: the blob's SHA-256 in hex, quoted (RFC 9110 §8.8.3). */
final class EntityTags {

    /** A tag in an If-None-Match list, weak or strong. */
    private static final Pattern TAG = Pattern.compile("(?:W/)?\"([0-9a-f]{64})\"");

    private EntityTags() {
    }

    /** The ETag header value of a blob. */
    static String of(String sha256Hex) {
        return "\"" + sha256Hex + "\"";
    }

    /**
     * The first blob hash named by an If-None-Match header, or null (no header, {@code *}, or no tag of ours: the
     * weak comparison of §13.1.2 makes a weak tag match too).
     */
    static String hash(String ifNoneMatch) {
        if (ifNoneMatch == null) {
            return null;
        }
        Matcher m = TAG.matcher(ifNoneMatch);
        return m.find() ? m.group(1) : null;
    }
}
