package dev.sightline.retrieval;

import dev.sightline.common.problem.ProblemCode;
import java.util.List;

/**
 * The ways a retrieval-service request fails that are retrieval-service's own; shared meanings (invalid request,
 * not found, conflict, payload too large, unavailable, internal) are
 * {@link dev.sightline.common.problem.CommonProblem}.
 */
public final class RetrievalProblem {

    /** The request names no tenant (header X-Sightline-Tenant) or an invalid one. */
    public static final ProblemCode MISSING_TENANT = ProblemCode.of("missing-tenant", 400, "Missing tenant");
    /** A vector of the wrong dimension. */
    public static final ProblemCode DIMENSION_MISMATCH = ProblemCode.of("dimension-mismatch", 400, "Dimension mismatch");
    /** A vector with NaN or infinite components, or all zeros. */
    public static final ProblemCode INVALID_VECTOR = ProblemCode.of("invalid-vector", 400, "Invalid vector");

    private RetrievalProblem() {
    }

    /** Every retrieval-service code. */
    public static List<ProblemCode> all() {
        return List.of(MISSING_TENANT, DIMENSION_MISMATCH, INVALID_VECTOR);
    }
}
