package dev.sightline.embed;

import dev.sightline.common.problem.ProblemCode;

/**
 * The ways an embed-service request fails that are embed-service's own; shared meanings (invalid request, payload
 * too large, unsupported media type, internal) are {@link dev.sightline.common.problem.CommonProblem}.
 */
public enum EmbedProblem implements ProblemCode {
    /** An image is not valid base64 or a data URI. */
    INVALID_ENCODING(400, "Invalid image encoding", null),
    /** A text is longer than the configured limit. */
    TEXT_TOO_LONG(400, "Text too long", null),
    /** The image bytes are corrupt, truncated or otherwise undecodable, or the image is too small. */
    INVALID_IMAGE(422, "Invalid image", null),
    /** The encoder's queue is full; retry later. */
    QUEUE_FULL(429, "Too many requests", 1L),
    /** The model is not loaded yet or failed to load. */
    NOT_READY(503, "Model not ready", 1L);

    private final int status;
    private final String title;
    private final Long retryAfterSeconds;

    EmbedProblem(int status, String title, Long retryAfterSeconds) {
        this.status = status;
        this.title = title;
        this.retryAfterSeconds = retryAfterSeconds;
    }

    @Override
    public int status() {
        return status;
    }

    @Override
    public String title() {
        return title;
    }

    @Override
    public Long retryAfterSeconds() {
        return retryAfterSeconds;
    }
}
