package dev.sightline.retrieval;

import dev.sightline.common.problem.ProblemCode;

/** Every way a retrieval-service request can fail, with the HTTP status and problem title it maps to. */
public enum ErrorCode implements ProblemCode {
    /** Malformed request, invalid name or value. */
    INVALID_REQUEST(400, "Invalid request"),
    /** The request names no tenant (header X-Sightline-Tenant) or an invalid one. */
    MISSING_TENANT(400, "Missing tenant"),
    /** A vector of the wrong dimension. */
    DIMENSION_MISMATCH(400, "Dimension mismatch"),
    /** A vector with NaN or infinite components, or all zeros. */
    INVALID_VECTOR(400, "Invalid vector"),
    /** The collection or item does not exist (for this tenant). */
    NOT_FOUND(404, "Not found"),
    /** A collection of that name exists with another dimension or model. */
    CONFLICT(409, "Conflict"),
    /** Body, batch or metadata over the configured limits. */
    TOO_LARGE(413, "Too large"),
    /** The database cannot be reached. */
    UNAVAILABLE(503, "Service unavailable"),
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
