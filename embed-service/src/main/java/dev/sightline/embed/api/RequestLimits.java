package dev.sightline.embed.api;

import dev.sightline.embed.EmbedException;
import dev.sightline.embed.ErrorCode;
import dev.sightline.embed.config.EmbedConfig;
import jakarta.enterprise.context.ApplicationScoped;
import java.util.List;

/** Applies the configured per-request limits before any work is done. */
@ApplicationScoped
public class RequestLimits {

    private final EmbedConfig.Limits limits;

    public RequestLimits(EmbedConfig config) {
        this.limits = config.limits();
    }

    /** Largest encoded image in bytes. */
    long maxImageBytes() {
        return limits.maxImageBytes();
    }

    void checkTexts(List<String> texts) {
        if (texts.size() > limits.maxTexts()) {
            throw new EmbedException(ErrorCode.TOO_MANY_ITEMS,
                    "At most " + limits.maxTexts() + " texts per request; got " + texts.size() + ".");
        }
        for (int i = 0; i < texts.size(); i++) {
            String t = texts.get(i);
            if (t.isBlank()) {
                throw new EmbedException(ErrorCode.INVALID_REQUEST, "Text " + i + " is empty.");
            }
            if (t.length() > limits.maxTextChars()) {
                throw new EmbedException(ErrorCode.TEXT_TOO_LONG, "Text " + i + " has " + t.length()
                        + " characters; the limit is " + limits.maxTextChars() + ".");
            }
        }
    }

    void checkImageCount(int count) {
        if (count == 0) {
            throw new EmbedException(ErrorCode.INVALID_REQUEST, "No image given.");
        }
        if (count > limits.maxImages()) {
            throw new EmbedException(ErrorCode.TOO_MANY_ITEMS,
                    "At most " + limits.maxImages() + " images per request; got " + count + ".");
        }
    }
}
