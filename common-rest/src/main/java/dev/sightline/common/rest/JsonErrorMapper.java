package dev.sightline.common.rest;

import com.fasterxml.jackson.core.JsonProcessingException;
import dev.sightline.common.problem.CommonProblem;
import dev.sightline.common.problem.JsonErrors;
import jakarta.ws.rs.core.Response;
import jakarta.ws.rs.ext.ExceptionMapper;
import jakarta.ws.rs.ext.Provider;

/** Malformed or mistyped JSON bodies as 400 problem details naming the offending field. */
@Provider
public class JsonErrorMapper implements ExceptionMapper<JsonProcessingException> {

    @Override
    public Response toResponse(JsonProcessingException e) {
        return ProblemResponses.of(CommonProblem.INVALID_JSON, JsonErrors.describe(e));
    }
}
