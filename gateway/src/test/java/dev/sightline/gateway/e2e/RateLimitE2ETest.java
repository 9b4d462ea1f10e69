package dev.sightline.gateway.e2e;

import static dev.sightline.gateway.support.Gateway.as;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.sightline.gateway.support.Platform;
import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.QuarkusTestProfile;
import io.quarkus.test.junit.TestProfile;
import io.restassured.response.Response;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** Each key has its own token bucket; an exhausted one gets 429 with Retry-After, others are unaffected. */
@QuarkusTest
@QuarkusTestResource(Platform.class)
@TestProfile(RateLimitE2ETest.Slow.class)
class RateLimitE2ETest {

    public static class Slow implements QuarkusTestProfile {
        @Override
        public Map<String, String> getConfigOverrides() {
            return Map.of("sightline.gateway.rate-limit.requests-per-second", "0.5",
                    "sightline.gateway.rate-limit.burst", "5");
        }
    }

    @Test
    void limitsEachKeySeparately() {
        for (int i = 0; i < 5; i++) {
            as(Platform.KEY_A).get("/v1/collections").then().statusCode(200);
        }
        Response limited = as(Platform.KEY_A).get("/v1/collections");
        assertEquals(429, limited.statusCode());
        assertEquals("application/problem+json", limited.contentType());
        long retryAfter = Long.parseLong(limited.header("Retry-After"));
        assertTrue(retryAfter >= 1 && retryAfter <= 2, "Retry-After " + retryAfter);
        as(Platform.KEY_B).get("/v1/collections").then().statusCode(200);
    }
}
