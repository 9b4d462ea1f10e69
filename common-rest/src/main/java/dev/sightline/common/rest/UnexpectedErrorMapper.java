package dev.sightline.common.rest;

import dev.sightline.common.problem.CommonProblem;
import jakarta.ws.rs.core.Response;
import jakarta.ws.rs.ext.ExceptionMapper;
import jakarta.ws.rs.ext.Provider;
import org.jboss.logging.Logger;

/** Anything unforeseen: logged with its stack trace, answered as a 500 problem without internals. */
@Provider
public class UnexpectedErrorMapper implements ExceptionMapper<Exception> {

    private static final Logger LOG = Logger.getLogger(UnexpectedErrorMapper.class);

    @Override
    public Response toResponse(Exception e) {
        LOG.error("unexpected error", e);
        return ProblemResponses.of(CommonProblem.INTERNAL, "The request could not be processed.");
    }
}
