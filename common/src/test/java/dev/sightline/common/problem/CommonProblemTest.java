package dev.sightline.common.problem;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;

import java.util.LinkedHashMap;
import java.util.Map;
import org.junit.jupiter.api.Test;

class CommonProblemTest {

    @Test
    void mapsEveryCodeToItsStatusAndType() {
        Map<ProblemCode, String> expected = new LinkedHashMap<>();
        expected.put(CommonProblem.INVALID_JSON, "400 https://sightline.dev/problems/invalid-json");
        expected.put(CommonProblem.INVALID_REQUEST, "400 https://sightline.dev/problems/invalid-request");
        expected.put(CommonProblem.UNAUTHORIZED, "401 https://sightline.dev/problems/unauthorized");
        expected.put(CommonProblem.NOT_FOUND, "404 https://sightline.dev/problems/not-found");
        expected.put(CommonProblem.METHOD_NOT_ALLOWED, "405 https://sightline.dev/problems/method-not-allowed");
        expected.put(CommonProblem.NOT_ACCEPTABLE, "406 https://sightline.dev/problems/not-acceptable");
        expected.put(CommonProblem.CONFLICT, "409 https://sightline.dev/problems/conflict");
        expected.put(CommonProblem.PAYLOAD_TOO_LARGE, "413 https://sightline.dev/problems/payload-too-large");
        expected.put(CommonProblem.UNSUPPORTED_MEDIA_TYPE, "415 https://sightline.dev/problems/unsupported-media-type");
        expected.put(CommonProblem.UNAVAILABLE, "503 https://sightline.dev/problems/unavailable");
        expected.put(CommonProblem.INTERNAL, "500 https://sightline.dev/problems/internal");
        expected.put(CommonProblem.DIMENSION_MISMATCH, "400 https://sightline.dev/problems/dimension-mismatch");
        expected.put(CommonProblem.INVALID_VECTOR, "400 https://sightline.dev/problems/invalid-vector");
        expected.put(CommonProblem.MODEL_CHANGED, "409 https://sightline.dev/problems/model-changed");
        expected.put(CommonProblem.MODERATION_CHANGED, "409 https://sightline.dev/problems/moderation-changed");

        assertEquals(CommonProblem.all(), expected.keySet().stream().toList());
        expected.forEach((code, statusAndType) -> assertEquals(statusAndType, code.status() + " " + code.type()));
    }

    @Test
    void onlyTransientConditionsCarryARetryAfter() {
        for (ProblemCode c : CommonProblem.all()) {
            if (c.equals(CommonProblem.UNAVAILABLE)) {
                assertEquals(1L, c.retryAfterSeconds());
            } else {
                assertNull(c.retryAfterSeconds(), c.slug());
            }
        }
    }

    @Test
    void frameworkStatusesMapToTheirMeaning() {
        assertEquals(CommonProblem.NOT_FOUND, CommonProblem.ofStatus(404));
        assertEquals(CommonProblem.METHOD_NOT_ALLOWED, CommonProblem.ofStatus(405));
        assertEquals(CommonProblem.UNSUPPORTED_MEDIA_TYPE, CommonProblem.ofStatus(415));
        assertEquals(CommonProblem.INVALID_REQUEST, CommonProblem.ofStatus(400));
        assertEquals(CommonProblem.INVALID_REQUEST, CommonProblem.ofStatus(418));
        assertEquals(CommonProblem.INTERNAL, CommonProblem.ofStatus(502));
    }

    @Test
    void aProblemExceptionHidesTheDetailOfInternalFailuresOnly() {
        Problem internal = new ProblemException(CommonProblem.INTERNAL, "NullPointerException at Foo.java:12").problem();
        assertEquals(new Problem("https://sightline.dev/problems/internal", "Internal error", 500,
                "The request could not be processed.", null, null), internal);

        Problem tooLarge = new ProblemException(CommonProblem.PAYLOAD_TOO_LARGE, "At most 3 items.").problem();
        assertEquals(new Problem("https://sightline.dev/problems/payload-too-large", "Payload too large", 413,
                "At most 3 items.", null, null), tooLarge);
    }

    @Test
    void anExceptionsOwnRetryAfterOverridesTheCodes() {
        assertEquals(1L, new ProblemException(CommonProblem.UNAVAILABLE, "down").retryAfterSeconds());
        assertEquals(7L, new ProblemException(CommonProblem.UNAVAILABLE, "down", 7L).retryAfterSeconds());
        assertNull(new ProblemException(CommonProblem.NOT_FOUND, "gone").retryAfterSeconds());
    }
}
