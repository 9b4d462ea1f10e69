package dev.sightline.embed.profile;

import static io.restassured.RestAssured.given;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.equalTo;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

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
 * Two models served side by side: the bundled tiny CLIP (default, 128 dimensions) and its 96-dimension projection
 * (models/tiny-clip-p96), each with its own queues, readiness and metrics; requests pick one by id.
 */
@QuarkusTest
@TestProfile(MultiModelTest.TwoModels.class)
class MultiModelTest {

    static final String DEFAULT = "sightline/tiny-clip";
    static final String SECOND = "sightline/tiny-clip-p96";
    static final List<String> LABELS = List.of("blue square", "red circle", "green triangle", "yellow star");

    public static class TwoModels implements QuarkusTestProfile {
        @Override
        public Map<String, String> getConfigOverrides() {
            return Map.of("sightline.embed.model.extra-dirs", dev.sightline.testsupport.SecondModel.dir(Fixture.root()).toString());
        }
    }

    @Test
    void listsBothModelsTheDefaultFirstAndIsReadyWhenBothAre() throws InterruptedException {
        for (int i = 0; i < 200 && given().get("/q/health/ready").statusCode() != 200; i++) {
            Thread.sleep(100);
        }
        given().get("/q/health/ready").then().statusCode(200).body("checks[0].data.model", equalTo(DEFAULT))
                .body("checks[0].data.'" + SECOND + "'", containsString("ready"));
        given().get("/model").then().statusCode(200).body("defaultModel", equalTo(DEFAULT))
                .body("models.id", equalTo(List.of(DEFAULT, SECOND)))
                .body("models.dimensions", equalTo(List.of(128, 96)))
                .body("models.state", equalTo(List.of("ready", "ready")));
    }

    @Test
    void eachRequestIsEmbeddedByTheModelItNames() {
        JsonPath byDefault = Api.post("/embed/text", Map.of("texts", List.of("a red circle")), 200);
        assertEquals(DEFAULT, byDefault.getString("model"));
        assertEquals(128, byDefault.getInt("dimensions"));
        JsonPath second = Api.post("/embed/text", Map.of("texts", List.of("a red circle"), "model", SECOND), 200);
        assertEquals(SECOND, second.getString("model"));
        assertEquals(96, Api.row(second, 0).length);
        assertUnit(Api.row(second, 0));

        String image = Api.base64(Fixture.bytes("images/wide.png"));
        JsonPath img = Api.post("/embed/image", Map.of("images", List.of(image), "model", SECOND), 200);
        assertEquals(96, Api.row(img, 0).length);
        JsonPath upload = given().multiPart("file", "wide.png", Fixture.bytes("images/wide.png"), "image/png")
                .multiPart("model", SECOND).post("/embed/image").then().statusCode(200).extract().jsonPath();
        assertEquals(Api.row(img, 0)[0], Api.row(upload, 0)[0], 1e-6);
    }

    @Test
    void theSecondModelIsAGenuineModelThatClassifiesOnItsOwn() {
        // The same drawings as ClassifyResourceTest, through the 96-dimension projection.
        Map<String, String> expected = Map.of("images/wide.png", "red circle", "images/tall.jpg", "blue square",
                "images/large.jpg", "yellow star");
        expected.forEach((file, label) -> {
            JsonPath p = Api.post("/classify", Map.of("image", Api.base64(Fixture.bytes(file)), "labels", LABELS,
                    "model", SECOND), 200);
            assertEquals(SECOND, p.getString("model"));
            assertEquals(label, p.getString("predictions[0].label"), file);
        });
        // Label embeddings are cached per model: the same labels give each model's own vectors.
        JsonPath a = Api.post("/classify/labels", Map.of("labels", LABELS), 200);
        JsonPath b = Api.post("/classify/labels", Map.of("labels", LABELS, "model", SECOND), 200);
        assertEquals(128, a.getList("embeddings[0]").size());
        assertEquals(96, b.getList("embeddings[0]").size());
        assertEquals(SECOND, b.getString("model"));
        assertNotEquals(a.getList("embeddings[0]").get(0), b.getList("embeddings[0]").get(0));
    }

    @Test
    void anUnknownModelIsA404ProblemNamingTheServedOnes() {
        given().contentType(ContentType.JSON).body(Map.of("texts", List.of("x"), "model", "openai/clip-vit-b-32"))
                .post("/embed/text").then().statusCode(404).contentType("application/problem+json")
                .body("detail", equalTo("The model openai/clip-vit-b-32 is not served here; served: " + DEFAULT + ", "
                        + SECOND + "."));
        given().contentType(ContentType.JSON).body(Map.of("labels", LABELS, "model", "nope")).post("/classify/labels")
                .then().statusCode(404);
    }

    @Test
    void metricsCarryTheModel() {
        Api.post("/embed/text", Map.of("texts", List.of("a star"), "model", SECOND), 200);
        String metrics = given().get("/q/metrics").asString();
        assertTrue(metrics.contains("sightline_embed_batch_size_count{encoder=\"text\",model=\"" + SECOND + "\"}"),
                metrics.lines().filter(l -> l.startsWith("sightline_embed_batch_size_count")).toList().toString());
        assertTrue(metrics.contains("sightline_embed_queue_depth{encoder=\"image\",model=\"" + DEFAULT + "\"}"));
    }

    private static void assertUnit(float[] v) {
        double n = 0;
        for (float x : v) {
            n += x * x;
        }
        assertEquals(1.0, Math.sqrt(n), 1e-4);
    }
}
