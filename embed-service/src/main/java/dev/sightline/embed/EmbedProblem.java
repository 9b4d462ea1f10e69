package dev.sightline.embed;

import dev.sightline.common.problem.ProblemCode;
import java.util.List;

/**
 * The ways an embed-service request fails that are embed-service's own; shared meanings (invalid request, payload
 * too large, unsupported media type, internal) are {@link dev.sightline.common.problem.CommonProblem}.
 */
public final class EmbedProblem {

    /** An image is not valid base64 or a data URI. */
    public static final ProblemCode INVALID_ENCODING = ProblemCode.of("invalid-encoding", 400, "Invalid image encoding");
    /** A text is longer than the configured limit. */
    public static final ProblemCode TEXT_TOO_LONG = ProblemCode.of("text-too-long", 400, "Text too long");
    /** The image bytes are corrupt, truncated or otherwise undecodable, or the image is too small. */
    public static final ProblemCode INVALID_IMAGE = ProblemCode.of("invalid-image", 422, "Invalid image");
    /** The encoder's queue is full; retry later. */
    public static final ProblemCode QUEUE_FULL = ProblemCode.transientFor("queue-full", 429, "Too many requests", 1);
    /** The model is not loaded yet or failed to load. */
    public static final ProblemCode NOT_READY = ProblemCode.transientFor("not-ready", 503, "Model not ready", 1);

    private EmbedProblem() {
    }

    /** Every embed-service code. */
    public static List<ProblemCode> all() {
        return List.of(INVALID_ENCODING, TEXT_TOO_LONG, INVALID_IMAGE, QUEUE_FULL, NOT_READY);
    }
}
