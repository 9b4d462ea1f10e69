package dev.sightline.common.rest;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;

import dev.sightline.common.problem.CommonProblem;
import dev.sightline.common.problem.Problem;
import dev.sightline.common.problem.ProblemException;
import jakarta.ws.rs.core.Response;
import org.junit.jupiter.api.Test;

class ProblemExceptionMapperTest {

    private final ProblemExceptionMapper mapper = new ProblemExceptionMapper();

    @Test
    void answersTheCodesStatusAsProblemJson() {
        Response r = mapper.toResponse(new ProblemException(CommonProblem.CONFLICT, "Collection x exists."));

        assertEquals(409, r.getStatus());
        assertEquals("application/problem+json", r.getMediaType().toString());
        assertEquals(new Problem("https://sightline.dev/problems/conflict", "Conflict", 409, "Collection x exists.",
                null, null), r.getEntity());
        assertNull(r.getHeaderString("Retry-After"));
    }

    @Test
    void transientProblemsCarryRetryAfter() {
        assertEquals("1", mapper.toResponse(new ProblemException(CommonProblem.UNAVAILABLE, "db down"))
                .getHeaderString("Retry-After"));
        assertEquals("9", mapper.toResponse(new ProblemException(CommonProblem.UNAVAILABLE, "db down", 9L))
                .getHeaderString("Retry-After"));
    }

    @Test
    void internalFailuresRevealNothing() {
        Response r = mapper.toResponse(new ProblemException(CommonProblem.INTERNAL, "SQLState 22021 at ItemStore:88",
                new IllegalStateException()));

        assertEquals(500, r.getStatus());
        assertEquals("The request could not be processed.", ((Problem) r.getEntity()).detail());
    }
}
