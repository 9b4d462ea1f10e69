package dev.sightline.retrieval;

import dev.sightline.common.problem.ProblemCode;
import java.util.List;

/**
 * The ways a retrieval-service request fails that are retrieval-service's own; shared meanings (invalid request,
 * not found, conflict, payload too large, unavailable, internal, a vector's dimension or values) are
 * {@link dev.sightline.common.problem.CommonProblem}.
 */
public final class RetrievalProblem {

    /** The request names no tenant (header X-Sightline-Tenant) or an invalid one. */
    public static final ProblemCode MISSING_TENANT = ProblemCode.of("missing-tenant", 400, "Missing tenant");

    private RetrievalProblem() {
    }

    /** Every retrieval-service code. */
    public static List<ProblemCode> all() {
        return List.of(MISSING_TENANT);
    }
}
