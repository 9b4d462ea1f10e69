package dev.sightline.retrieval;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.sightline.common.problem.CommonProblem;
import dev.sightline.common.problem.ProblemCode;
import java.util.HashSet;
import java.util.Set;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;

class RetrievalProblemTest {

    @Test
    void mapsEachRetrievalCodeToItsStatusAndType() {
        assertEquals("400 https://sightline.dev/problems/missing-tenant", describe(RetrievalProblem.MISSING_TENANT));
        assertEquals(1, RetrievalProblem.all().size());
    }

    @Test
    void noRetrievalCodeRedefinesASharedMeaning() {
        Set<String> types = new HashSet<>();
        Stream.concat(CommonProblem.all().stream(), RetrievalProblem.all().stream())
                .forEach(c -> assertTrue(types.add(c.type()), c.type()));
    }

    private static String describe(ProblemCode c) {
        return c.status() + " " + c.type();
    }
}
