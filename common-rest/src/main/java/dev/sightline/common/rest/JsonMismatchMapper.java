package dev.sightline.common.rest;

import com.fasterxml.jackson.databind.exc.MismatchedInputException;
import dev.sightline.common.problem.CommonProblem;
import dev.sightline.common.problem.JsonErrors;
import jakarta.ws.rs.core.Response;
import jakarta.ws.rs.ext.ExceptionMapper;
import jakarta.ws.rs.ext.Provider;

/** JSON of the wrong shape (a string where a list belongs, …); replaces the framework's own non-problem answer. */
@Provider
public class JsonMismatchMapper implements ExceptionMapper<MismatchedInputException> {

    @Override
    public Response toResponse(MismatchedInputException e) {
        return ProblemResponses.of(CommonProblem.INVALID_JSON, JsonErrors.describe(e));
    }
}
