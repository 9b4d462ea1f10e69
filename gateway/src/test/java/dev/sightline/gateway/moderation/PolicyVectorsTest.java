package dev.sightline.gateway.moderation;

import static org.junit.jupiter.api.Assertions.assertEquals;

import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.util.List;
import org.junit.jupiter.api.Test;

class PolicyVectorsTest {

    /** Two categories over 2-d vectors: "plain" (prompt (1,0), no benign) and "weighed" (prompt (1,0), benign (0,1)). */
    private static PolicyVectors policy(double plainThreshold, String plainAction, double weighedThreshold) {
        JsonObject stored = new JsonObject().put("name", "p").put("model", "m")
                .put("categories", new JsonArray()
                        .add(new JsonObject().put("name", "plain").put("prompts", List.of("x")).put("benign", List.of())
                                .put("threshold", plainThreshold).put("action", plainAction))
                        .add(new JsonObject().put("name", "weighed").put("prompts", List.of("x"))
                                .put("benign", List.of("y")).put("threshold", weighedThreshold).put("action", "flag")))
                .put("prompt_vectors", new JsonArray()
                        .add(new JsonArray().add(new JsonArray().add(2).add(0)))
                        .add(new JsonArray().add(new JsonArray().add(1).add(0)).add(new JsonArray().add(0).add(1))));
        return PolicyVectors.of(stored, 10f);
    }

    @Test
    void scoresAreTheBestPromptCosineOrTheSoftmaxShareAgainstBenignPrompts() {
        // The input (3, 4) is (0.6, 0.8) at unit length; stored vectors are made unit too.
        PolicyVectors.Verdict v = policy(0.5, "reject", 0.5).judge(new float[] {3, 4});
        assertEquals(0.6, v.categories().get(0).score(), 1e-6);
        // e^(10 * 0.6) / (e^(10 * 0.6) + e^(10 * 0.8)) = 1 / (1 + e^2)
        assertEquals(1 / (1 + Math.exp(2)), v.categories().get(1).score(), 1e-6);
        assertEquals(List.of("plain"), v.fired());
        assertEquals("reject", v.action());
        assertEquals("plain", v.rejecting().name());
    }

    @Test
    void theActionIsRejectOverFlagOverAllow() {
        float[] input = {3, 4};
        assertEquals("flag", policy(0.5, "flag", 0.5).judge(input).action());
        assertEquals("allow", policy(0.7, "reject", 0.5).judge(input).action());
        PolicyVectors.Verdict both = policy(0.6, "flag", 0.1).judge(input);
        assertEquals(List.of("plain", "weighed"), both.fired());
        assertEquals("flag", both.action());
        assertEquals(null, both.rejecting());
    }
}
