package dev.sightline.retrieval;

import com.fasterxml.jackson.annotation.JsonValue;
import dev.sightline.common.problem.CommonProblem;
import dev.sightline.common.problem.ProblemException;

/** What a collection keeps of its image items besides the vector, chosen at creation. */
public enum MediaMode {
    /** Nothing: the vector and metadata only. */
    NONE,
    /** A JPEG thumbnail, longest side 256 px, EXIF orientation applied. */
    THUMBNAIL,
    /** The uploaded bytes as received, and the thumbnail. */
    ORIGINAL;

    @JsonValue
    public String wire() {
        return name().toLowerCase();
    }

    /** Whether items of such a collection keep a thumbnail. */
    public boolean keepsThumbnail() {
        return this != NONE;
    }

    /** Parses "none", "thumbnail" or "original"; null is the default, thumbnail. */
    public static MediaMode of(String s) {
        if (s == null) {
            return THUMBNAIL;
        }
        for (MediaMode m : values()) {
            if (m.wire().equals(s)) {
                return m;
            }
        }
        throw new ProblemException(CommonProblem.INVALID_REQUEST, "media must be none, thumbnail or original.");
    }
}
