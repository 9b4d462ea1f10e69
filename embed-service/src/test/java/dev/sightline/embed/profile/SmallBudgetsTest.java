package dev.sightline.embed.profile;

import static io.restassured.RestAssured.given;
import static org.hamcrest.Matchers.equalTo;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.sightline.embed.Vectors;
import dev.sightline.embed.support.Api;
import dev.sightline.embed.support.Fixture;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.QuarkusTestProfile;
import io.quarkus.test.junit.TestProfile;
import io.restassured.http.ContentType;
import io.restassured.path.json.JsonPath;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * With a text queue of 4 items and a decoding budget of 100,000 pixels: ordinary requests are admitted whole or
 * refused with 429, classifications larger than the queue are still served, and images larger than the budget
 * are refused.
 */
@QuarkusTest
@TestProfile(SmallBudgetsTest.SmallBudgets.class)
class SmallBudgetsTest {

    public static class SmallBudgets implements QuarkusTestProfile {
        @Override
        public Map<String, String> getConfigOverrides() {
            return Map.of("sightline.embed.text.queue-capacity", "4",
                    "sightline.embed.limits.max-decoding-pixels", "100000");
        }
    }

    @Test
    void answers429WithRetryAfterWhenTheQueueIsFull() {
        given().contentType(ContentType.JSON).body("{\"texts\":[\"a\",\"b\",\"c\",\"d\",\"e\"]}").post("/embed/text")
                .then().statusCode(429).contentType("application/problem+json").header("Retry-After", "1")
                .body("type", equalTo("https://sightline.dev/problems/queue-full"));
        given().contentType(ContentType.JSON).body("{\"texts\":[\"a\",\"b\",\"c\",\"d\"]}").post("/embed/text")
                .then().statusCode(200);
    }

    @Test
    void labelEmbeddingsOfMorePromptsThanTheQueueHoldsAreTheMeansOfTheirPromptEmbeddings() {
        List<String> labels = List.of("red circle", "blue square", "green triangle");
        List<String> templates = List.of("a photo of a {}.", "a drawing of a {}.");
        JsonPath r = Api.post("/classify/labels", Map.of("labels", labels, "templates", templates), 200);
        for (int i = 0; i < labels.size(); i++) {
            float[] photo = Api.textEmbedding("a photo of a " + labels.get(i) + ".");
            float[] drawing = Api.textEmbedding("a drawing of a " + labels.get(i) + ".");
            float[] sum = new float[photo.length];
            for (int d = 0; d < sum.length; d++) {
                sum[d] = 0f + photo[d] + drawing[d];
            }
            assertArrayEquals(Vectors.normalize(sum), Api.row(r, i), labels.get(i));
        }
    }

    @Test
    void classifiesAgainstMoreLabelsThanTheQueueHolds() {
        JsonPath r = Api.post("/classify", Map.of("image", Api.base64(Fixture.bytes("images/wide.png")),
                "labels", List.of("blue square", "red circle", "green triangle", "yellow star", "purple cross")), 200);
        assertEquals(5, r.getList("predictions").size());
        assertEquals("red circle", r.getString("predictions[0].label"));
    }

    @Test
    void refusesAnImageLargerThanTheDecodingBudget() {
        given().contentType(ContentType.JSON)
                .body(Map.of("images", List.of(Api.base64(Fixture.bytes("images/large.jpg"))))).post("/embed/image")
                .then().statusCode(413).contentType("application/problem+json")
                .body("type", equalTo("https://sightline.dev/problems/payload-too-large"))
                .body("detail", equalTo("image is 1600x1200 pixels, more than the 100000 this service decodes at once"));
        Api.imageEmbedding(Fixture.bytes("images/wide.png"));
    }
}
