package dev.sightline.common.rest;

import dev.sightline.common.problem.CommonProblem;
import dev.sightline.common.problem.Problem;
import dev.sightline.common.problem.ProblemCode;
import io.quarkus.hibernate.validator.runtime.jaxrs.ResteasyReactiveViolationException;
import jakarta.validation.ConstraintViolation;
import jakarta.ws.rs.core.Response;
import jakarta.ws.rs.ext.ExceptionMapper;
import jakarta.ws.rs.ext.Provider;
import java.util.List;

/** Bean Validation failures on requests as 400 problem details listing each violation. */
@Provider
public class ValidationErrorMapper implements ExceptionMapper<ResteasyReactiveViolationException> {

    @Override
    public Response toResponse(ResteasyReactiveViolationException e) {
        List<String> errors = e.getConstraintViolations().stream().map(ValidationErrorMapper::describe).sorted().toList();
        ProblemCode c = CommonProblem.INVALID_REQUEST;
        return ProblemResponses.of(new Problem(c.type(), c.title(), c.status(), String.join("; ", errors), null, errors),
                null);
    }

    private static String describe(ConstraintViolation<?> v) {
        String path = v.getPropertyPath().toString();
        // The first two nodes are the resource method and its parameter; clients know the body fields only.
        String[] parts = path.split("\\.", 3);
        return (parts.length == 3 ? parts[2] : path) + ": " + v.getMessage();
    }
}
