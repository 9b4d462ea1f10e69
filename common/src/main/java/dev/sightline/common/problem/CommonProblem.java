package dev.sightline.common.problem;

import java.util.List;

/** The meanings every Sightline service shares; each service adds only the codes that are its own. */
public final class CommonProblem {

    /** The body is not valid JSON, or a field has the wrong JSON type. */
    public static final ProblemCode INVALID_JSON = ProblemCode.of("invalid-json", 400, "Invalid JSON");
    /** A missing, unknown or out-of-range field, an invalid name or id. */
    public static final ProblemCode INVALID_REQUEST = ProblemCode.of("invalid-request", 400, "Invalid request");
    /** Missing or unknown credential: an API key at the gateway, the internal token at the internal services. */
    public static final ProblemCode UNAUTHORIZED = ProblemCode.of("unauthorized", 401, "Unauthorized");
    /** Nothing at this path (for this tenant). */
    public static final ProblemCode NOT_FOUND = ProblemCode.of("not-found", 404, "Not found");
    /** The path does not accept the method. */
    public static final ProblemCode METHOD_NOT_ALLOWED = ProblemCode.of("method-not-allowed", 405, "Method not allowed");
    /** The path cannot produce the requested media type. */
    public static final ProblemCode NOT_ACCEPTABLE = ProblemCode.of("not-acceptable", 406, "Not acceptable");
    /** The resource exists in another shape (e.g. a collection with another dimension). */
    public static final ProblemCode CONFLICT = ProblemCode.of("conflict", 409, "Conflict");
    /** Body, item count, image, metadata or filter over a configured limit; the detail says which. */
    public static final ProblemCode PAYLOAD_TOO_LARGE = ProblemCode.of("payload-too-large", 413, "Payload too large");
    /** A Content-Type, or an image format, that the operation does not accept. */
    public static final ProblemCode UNSUPPORTED_MEDIA_TYPE = ProblemCode.of("unsupported-media-type", 415,
            "Unsupported media type");
    /** A dependency (a backend, the database) is unavailable; retrying later can succeed. */
    public static final ProblemCode UNAVAILABLE = ProblemCode.transientFor("unavailable", 503, "Service unavailable", 1);
    /** An unexpected failure; the answer names no internals. */
    public static final ProblemCode INTERNAL = ProblemCode.of("internal", 500, "Internal error");
    /** A vector of another dimension than the collection's (retrieval-service, and the gateway's bulk lines). */
    public static final ProblemCode DIMENSION_MISMATCH = ProblemCode.of("dimension-mismatch", 400,
            "Dimension mismatch");
    /** A vector with NaN or infinite components, all zeros, or out of the collection's float16 range. */
    public static final ProblemCode INVALID_VECTOR = ProblemCode.of("invalid-vector", 400, "Invalid vector");
    /**
     * Vectors of one model sent to a collection that has moved to another (a migration switched it in between):
     * the gateway embeds again with the collection's new model and retries once.
     */
    public static final ProblemCode MODEL_CHANGED = ProblemCode.of("model-changed", 409, "Model changed");

    /**
     * Items judged by one moderation policy (or by none) sent to a collection that applies another now (its policy
     * was changed in between): the gateway judges them again and retries once.
     */
    public static final ProblemCode MODERATION_CHANGED = ProblemCode.of("moderation-changed", 409,
            "Moderation changed");

    private static final List<ProblemCode> ALL = List.of(INVALID_JSON, INVALID_REQUEST, UNAUTHORIZED, NOT_FOUND, METHOD_NOT_ALLOWED,
            NOT_ACCEPTABLE, CONFLICT, PAYLOAD_TOO_LARGE, UNSUPPORTED_MEDIA_TYPE, UNAVAILABLE, INTERNAL, DIMENSION_MISMATCH,
            INVALID_VECTOR, MODEL_CHANGED, MODERATION_CHANGED);

    private CommonProblem() {
    }

    /** Every shared code. */
    public static List<ProblemCode> all() {
        return ALL;
    }

    /** The code of a framework-level HTTP status: INVALID_REQUEST for other 4xx, INTERNAL for other 5xx. */
    public static ProblemCode ofStatus(int status) {
        for (ProblemCode c : ALL) {
            if (c.status() == status && c != INVALID_JSON) {
                return c;
            }
        }
        return status >= 500 ? INTERNAL : INVALID_REQUEST;
    }
}
