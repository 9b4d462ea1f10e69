package dev.sightline.embed.profile;

import static io.restassured.RestAssured.given;
import static org.hamcrest.Matchers.equalTo;

import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.QuarkusTestProfile;
import io.quarkus.test.junit.TestProfile;
import io.restassured.http.ContentType;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** A request whose items do not fit the text queue is refused whole with 429 and Retry-After. */
@QuarkusTest
@TestProfile(QueueFullTest.SmallQueue.class)
class QueueFullTest {

    public static class SmallQueue implements QuarkusTestProfile {
        @Override
        public Map<String, String> getConfigOverrides() {
            return Map.of("sightline.embed.text.queue-capacity", "4");
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
}
