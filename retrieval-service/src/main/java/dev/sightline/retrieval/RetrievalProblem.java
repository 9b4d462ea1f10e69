package dev.sightline.retrieval;

import dev.sightline.common.problem.ProblemCode;

/**
 * The ways a retrieval-service request fails that are retrieval-service's own; shared meanings (invalid request,
 * not found, conflict, payload too large, unavailable, internal) are
 * {@link dev.sightline.common.problem.CommonProblem}.
 */
public enum RetrievalProblem implements ProblemCode {
    /** The request names no tenant (header X-Sightline-Tenant) or an invalid one. */
    MISSING_TENANT(400, "Missing tenant"),
    /** A vector of the wrong dimension. */
    DIMENSION_MISMATCH(400, "Dimension mismatch"),
    /** A vector with NaN or infinite components, or all zeros. */
    INVALID_VECTOR(400, "Invalid vector");

    private final int status;
    private final String title;

    RetrievalProblem(int status, String title) {
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
