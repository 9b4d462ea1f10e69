package dev.sightline.embed;

import dev.sightline.common.problem.ProblemCode;

/** Every way an embed-service request can fail, with the HTTP status and problem title it maps to. */
public enum ErrorCode implements ProblemCode {
    /** The request body or a parameter is malformed or out of range. */
    INVALID_REQUEST(400, "Invalid request"),
    /** An image is not valid base64 or a data URI. */
    INVALID_ENCODING(400, "Invalid image encoding"),
    /** A text is longer than the configured limit. */
    TEXT_TOO_LONG(400, "Text too long"),
    /** The request body is larger than the configured limit. */
    PAYLOAD_TOO_LARGE(413, "Payload too large"),
    /** An image's bytes or pixel count exceed the configured limit. */
    IMAGE_TOO_LARGE(413, "Image too large"),
    /** More items than the configured limit in one request. */
    TOO_MANY_ITEMS(413, "Too many items"),
    /** The image format is not one the service decodes. */
    UNSUPPORTED_MEDIA_TYPE(415, "Unsupported image format"),
    /** The image bytes are corrupt, truncated or otherwise undecodable, or the image is too small. */
    INVALID_IMAGE(422, "Invalid image"),
    /** The encoder's queue is full; retry later. */
    QUEUE_FULL(429, "Too many requests"),
    /** The model is not loaded yet or failed to load. */
    NOT_READY(503, "Model not ready"),
    /** An unexpected failure inside the service. */
    INTERNAL(500, "Internal error");

    private final int status;
    private final String title;

    ErrorCode(int status, String title) {
        this.status = status;
        this.title = title;
    }

    @Override
    public int status() {
        return status;
    }

    @Override
    public String title() {
        return title;
    }
}
