package dev.sightline.common.rest;

import com.fasterxml.jackson.core.JsonProcessingException;
import dev.sightline.common.problem.CommonProblem;
import dev.sightline.common.problem.JsonErrors;
import dev.sightline.common.problem.ProblemCode;
import jakarta.ws.rs.WebApplicationException;
import jakarta.ws.rs.core.Response;
import jakarta.ws.rs.ext.ExceptionMapper;
import jakarta.ws.rs.ext.Provider;
import java.util.Map;

/** Framework errors (unknown path, wrong method or media type, …) as problem details. */
@Provider
public class WebApplicationExceptionMapper implements ExceptionMapper<WebApplicationException> {

    private static final Map<ProblemCode, String> FRAMEWORK_DETAILS = Map.of(
            CommonProblem.NOT_FOUND, "There is nothing at this path.",
            CommonProblem.METHOD_NOT_ALLOWED, "This path does not accept that method.",
            CommonProblem.NOT_ACCEPTABLE, "This path cannot produce the requested media type.",
            CommonProblem.UNSUPPORTED_MEDIA_TYPE, "This path does not accept that Content-Type.");

    @Override
    public Response toResponse(WebApplicationException e) {
        // The JSON reader wraps parse and type errors; describe them like any other JSON error.
        for (Throwable c = e.getCause(); c != null; c = c.getCause()) {
            if (c instanceof JsonProcessingException json) {
                return ProblemResponses.of(CommonProblem.INVALID_JSON, JsonErrors.describe(json));
            }
        }
        int status = e.getResponse().getStatus();
        ProblemCode code = CommonProblem.ofStatus(status);
        if (code.status() != status) {
            // A framework status without a meaning of its own here (411, 414, 431, …): kept, named after its phrase.
            Response.StatusType type = Response.Status.fromStatusCode(status);
            String title = type != null ? type.getReasonPhrase() : "HTTP " + status;
            code = ProblemCode.of(title.toLowerCase().replaceAll("[^a-z0-9]+", "-"), status, title);
        }
        // Framework messages name no internals except for 5xx, which get a generic text.
        String detail = FRAMEWORK_DETAILS.getOrDefault(code,
                code.status() >= 500 ? "The request could not be processed." : e.getMessage());
        String retryAfter = e.getResponse().getHeaderString("Retry-After");
        return ProblemResponses.of(code.problem(detail), retryAfter == null ? code.retryAfterSeconds() : parse(retryAfter));
    }

    private static Long parse(String seconds) {
        try {
            return Long.parseLong(seconds.trim());
        } catch (NumberFormatException e) {
            return 1L;
        }
    }
}
