package dev.sightline.retrieval.store;

import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.sightline.common.problem.CommonProblem;
import dev.sightline.common.problem.ProblemException;
import java.sql.SQLException;
import org.junit.jupiter.api.Test;

/** What a database error becomes: a client's value refused by PostgreSQL is a 4xx that names no SQL. */
class DatabaseErrorsTest {

    private static ProblemException translate(String state) {
        return Database.translate(new SQLException("ERROR: secret detail of table items_c42 near \"DROP\"", state));
    }

    @Test
    void dataExceptionsAndInputConstraintViolationsAreInvalidRequests() {
        // untranslatable character (\u0000 in jsonb), invalid text representation, numeric out of range,
        // character not in repertoire, string too long, check and not-null violations
        for (String state : new String[] {"22P05", "22P02", "22003", "22021", "22001", "23514", "23502"}) {
            ProblemException e = translate(state);
            assertEquals(CommonProblem.INVALID_REQUEST, e.code(), state);
            assertEquals("The request contains a value that cannot be stored or compared.", e.problem().detail(), state);
        }
    }

    @Test
    void duplicatesAreConflicts() {
        ProblemException e = translate("23505");
        assertEquals(CommonProblem.CONFLICT, e.code());
        assertEquals("The request conflicts with a concurrent change; read the current state and retry.",
                e.problem().detail());
    }

    @Test
    void programLimitsArePayloadTooLarge() {
        ProblemException e = translate("54001");
        assertEquals(CommonProblem.PAYLOAD_TOO_LARGE, e.code());
        assertEquals("The request is too large or too deeply nested to be processed.", e.problem().detail());
    }

    @Test
    void connectionLossIsUnavailableAndAnythingElseInternalWithoutDetails() {
        assertEquals(CommonProblem.UNAVAILABLE, translate("08006").code());
        assertEquals(CommonProblem.UNAVAILABLE, translate("57P01").code());
        ProblemException e = translate("42P01");
        assertEquals(CommonProblem.INTERNAL, e.code());
        assertEquals("The request could not be processed.", e.problem().detail());
    }
}
