package dev.sightline.common.rest;

import dev.sightline.common.problem.ProblemException;
import jakarta.ws.rs.core.Response;
import jakarta.ws.rs.ext.ExceptionMapper;
import jakarta.ws.rs.ext.Provider;
import org.jboss.logging.Logger;

/** The one place where a service's {@link ProblemException} becomes an HTTP answer. */
@Provider
public class ProblemExceptionMapper implements ExceptionMapper<ProblemException> {

    private static final Logger LOG = Logger.getLogger(ProblemExceptionMapper.class);

    @Override
    public Response toResponse(ProblemException e) {
        if (e.code().status() >= 500) {
            LOG.errorf(e, "request failed (%s): %s", e.code().slug(), e.getMessage());
        } else {
            LOG.debugf("request rejected (%s): %s", e.code().slug(), e.getMessage());
        }
        return ProblemResponses.of(e.problem(), e.retryAfterSeconds());
    }
}
