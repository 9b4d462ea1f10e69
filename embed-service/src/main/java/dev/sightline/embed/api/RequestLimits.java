package dev.sightline.embed.api;

import dev.sightline.common.problem.ProblemException;
import dev.sightline.common.problem.CommonProblem;
import dev.sightline.embed.EmbedProblem;
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
            throw new ProblemException(CommonProblem.PAYLOAD_TOO_LARGE,
                    "At most " + limits.maxTexts() + " texts per request; got " + texts.size() + ".");
        }
        for (int i = 0; i < texts.size(); i++) {
            String t = texts.get(i);
            if (t.isBlank()) {
                throw new ProblemException(CommonProblem.INVALID_REQUEST, "Text " + i + " is empty.");
            }
            if (t.length() > limits.maxTextChars()) {
                throw new ProblemException(EmbedProblem.TEXT_TOO_LONG, "Text " + i + " has " + t.length()
                        + " characters; the limit is " + limits.maxTextChars() + ".");
            }
        }
    }

    void checkImageCount(int count) {
        if (count == 0) {
            throw new ProblemException(CommonProblem.INVALID_REQUEST, "No image given.");
        }
        if (count > limits.maxImages()) {
            throw new ProblemException(CommonProblem.PAYLOAD_TOO_LARGE,
                    "At most " + limits.maxImages() + " images per request; got " + count + ".");
        }
    }
}
