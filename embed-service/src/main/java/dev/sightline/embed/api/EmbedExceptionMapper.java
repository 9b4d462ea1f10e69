package dev.sightline.embed.api;

import dev.sightline.embed.EmbedException;
import dev.sightline.embed.ErrorCode;
import jakarta.ws.rs.core.Response;
import jakarta.ws.rs.ext.ExceptionMapper;
import jakarta.ws.rs.ext.Provider;
import org.jboss.logging.Logger;

/** The one place where embed-service errors become HTTP answers. */
@Provider
public class EmbedExceptionMapper implements ExceptionMapper<EmbedException> {

    private static final Logger LOG = Logger.getLogger(EmbedExceptionMapper.class);

    @Override
    public Response toResponse(EmbedException e) {
        ErrorCode code = e.code();
        if (code.status() >= 500) {
            LOG.errorf(e, "request failed: %s", e.getMessage());
        } else {
            LOG.debugf("request rejected (%s): %s", code, e.getMessage());
        }
        String detail = code == ErrorCode.INTERNAL ? "The request could not be processed." : e.getMessage();
        Response response = code.problem(detail).toResponse();
        if (code == ErrorCode.QUEUE_FULL || code == ErrorCode.NOT_READY) {
            return Response.fromResponse(response).header("Retry-After", "1").build();
        }
        return response;
    }
}
