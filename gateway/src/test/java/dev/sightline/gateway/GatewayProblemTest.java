package dev.sightline.gateway;

import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.sightline.common.problem.CommonProblem;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;

class GatewayProblemTest {

    @Test
    void mapsEachGatewayCodeToItsStatusTypeAndRetryAfter() {
        assertEquals(List.of(GatewayProblem.REQUEST_TIMEOUT, GatewayProblem.RATE_LIMITED,
                GatewayProblem.MODERATION_REJECTED), GatewayProblem.all());
        assertEquals(422, GatewayProblem.MODERATION_REJECTED.status());
        assertEquals("https://sightline.dev/problems/moderation-rejected", GatewayProblem.MODERATION_REJECTED.type());
        assertEquals(null, GatewayProblem.MODERATION_REJECTED.retryAfterSeconds());
        assertEquals(408, GatewayProblem.REQUEST_TIMEOUT.status());
        assertEquals("https://sightline.dev/problems/request-timeout", GatewayProblem.REQUEST_TIMEOUT.type());
        assertEquals(429, GatewayProblem.RATE_LIMITED.status());
        assertEquals("https://sightline.dev/problems/rate-limited", GatewayProblem.RATE_LIMITED.type());
        assertEquals(1L, GatewayProblem.RATE_LIMITED.retryAfterSeconds());
    }

    @Test
    void noGatewayCodeRedefinesASharedMeaning() {
        Set<String> types = new HashSet<>();
        Stream.concat(CommonProblem.all().stream(), GatewayProblem.all().stream())
                .forEach(c -> assertEquals(true, types.add(c.type()), c.type()));
    }
}
