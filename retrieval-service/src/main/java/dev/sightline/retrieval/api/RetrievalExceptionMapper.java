package dev.sightline.retrieval.api;

import dev.sightline.retrieval.ErrorCode;
import dev.sightline.retrieval.RetrievalException;
import jakarta.ws.rs.core.Response;
import jakarta.ws.rs.ext.ExceptionMapper;
import jakarta.ws.rs.ext.Provider;

/** The one place where retrieval-service errors become HTTP answers. */
@Provider
public class RetrievalExceptionMapper implements ExceptionMapper<RetrievalException> {

    @Override
    public Response toResponse(RetrievalException e) {
        ErrorCode code = e.code();
        String detail = code == ErrorCode.INTERNAL ? "The request could not be processed." : e.getMessage();
        Response r = code.problem(detail).toResponse();
        return code == ErrorCode.UNAVAILABLE ? Response.fromResponse(r).header("Retry-After", "1").build() : r;
    }
}
