package dev.sightline.common.query;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.sightline.common.problem.CommonProblem;
import dev.sightline.common.problem.ProblemException;
import org.junit.jupiter.api.Test;

class QueryFlagTest {

    @Test
    void trueIsTrueAndFalseOrAbsentIsFalse() {
        assertTrue(QueryFlag.of("more", "true"));
        assertFalse(QueryFlag.of("more", "false"));
        assertFalse(QueryFlag.of("more", null));
    }

    @Test
    void anythingElseIsRefusedNamingTheParameter() {
        for (String bad : new String[] {"", "TRUE", "True", "yes", "1", "0", "on", "true ", "false\u0000"}) {
            ProblemException e = assertThrows(ProblemException.class, () -> QueryFlag.of("more", bad), bad);
            assertEquals(CommonProblem.INVALID_REQUEST, e.code(), bad);
            assertEquals("more must be true or false.", e.getMessage(), bad);
        }
    }
}
