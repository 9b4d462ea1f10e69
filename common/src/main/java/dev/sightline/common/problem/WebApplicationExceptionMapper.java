package dev.sightline.common.problem;

import com.fasterxml.jackson.core.JsonProcessingException;
import jakarta.ws.rs.WebApplicationException;
import jakarta.ws.rs.core.Response;
import jakarta.ws.rs.ext.ExceptionMapper;
import jakarta.ws.rs.ext.Provider;

/** Framework errors (unknown path, wrong method or media type, …) as problem details. */
@Provider
public class WebApplicationExceptionMapper implements ExceptionMapper<WebApplicationException> {

    @Override
    public Response toResponse(WebApplicationException e) {
        // The JSON reader wraps parse and type errors; describe them like any other JSON error.
        for (Throwable c = e.getCause(); c != null; c = c.getCause()) {
            if (c instanceof JsonProcessingException json) {
                return JsonErrorMapper.problem(json).toResponse();
            }
        }
        int status = e.getResponse().getStatus();
        Response.StatusType type = Response.Status.fromStatusCode(status);
        String title = type != null ? type.getReasonPhrase() : "HTTP " + status;
        // Framework messages name no internals except for 5xx, which get a generic text.
        String detail = switch (status) {
            case 404 -> "There is nothing at this path.";
            case 405 -> "This path does not accept that method.";
            case 406 -> "This path cannot produce the requested media type.";
            case 415 -> "This path does not accept that Content-Type.";
            default -> status >= 500 ? "The request could not be processed." : e.getMessage();
        };
        Response problem = Problem.of(status, slug(title), title, detail).toResponse();
        String retryAfter = e.getResponse().getHeaderString("Retry-After");
        return retryAfter == null ? problem : Response.fromResponse(problem).header("Retry-After", retryAfter).build();
    }

    static String slug(String title) {
        return title.toLowerCase().replaceAll("[^a-z0-9]+", "-");
    }
}
