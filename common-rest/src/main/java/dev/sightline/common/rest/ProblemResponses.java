package dev.sightline.common.rest;

import dev.sightline.common.problem.Problem;
import dev.sightline.common.problem.ProblemCode;
import jakarta.ws.rs.core.Response;

/** Problem details as JAX-RS responses. */
public final class ProblemResponses {

    private ProblemResponses() {
    }

    /** The response that carries a problem, with a Retry-After header when one is given. */
    public static Response of(Problem problem, Long retryAfterSeconds) {
        Response.ResponseBuilder r = Response.status(problem.status()).type(Problem.MEDIA_TYPE).entity(problem);
        if (retryAfterSeconds != null) {
            r.header("Retry-After", Long.toString(retryAfterSeconds));
        }
        return r.build();
    }

    /** The response of a code with a detail text. */
    public static Response of(ProblemCode code, String detail) {
        return of(code.problem(detail), code.retryAfterSeconds());
    }
}
