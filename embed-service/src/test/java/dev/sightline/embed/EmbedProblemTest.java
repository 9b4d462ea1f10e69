package dev.sightline.embed;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.sightline.common.problem.CommonProblem;
import dev.sightline.common.problem.ProblemCode;
import java.util.HashSet;
import java.util.Set;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;

class EmbedProblemTest {

    @Test
    void mapsEachEmbedCodeToItsStatusTypeAndRetryAfter() {
        assertEquals("400 invalid-encoding null", describe(EmbedProblem.INVALID_ENCODING));
        assertEquals("400 text-too-long null", describe(EmbedProblem.TEXT_TOO_LONG));
        assertEquals("422 invalid-image null", describe(EmbedProblem.INVALID_IMAGE));
        assertEquals("429 queue-full 1", describe(EmbedProblem.QUEUE_FULL));
        assertEquals("503 not-ready 1", describe(EmbedProblem.NOT_READY));
        assertEquals(5, EmbedProblem.all().size());
    }

    @Test
    void noEmbedCodeRedefinesASharedMeaning() {
        Set<String> types = new HashSet<>();
        Stream.concat(CommonProblem.all().stream(), EmbedProblem.all().stream())
                .forEach(c -> assertTrue(types.add(c.type()), c.type()));
    }

    private static String describe(ProblemCode c) {
        return c.status() + " " + c.type().substring("https://sightline.dev/problems/".length()) + " "
                + c.retryAfterSeconds();
    }
}
