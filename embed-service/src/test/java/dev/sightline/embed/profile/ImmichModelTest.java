package dev.sightline.embed.profile;

import static io.restassured.RestAssured.given;
import static org.hamcrest.Matchers.equalTo;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import dev.sightline.embed.support.Api;
import dev.sightline.embed.support.Fixture;
import dev.sightline.embed.support.TestModels;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.QuarkusTestProfile;
import io.quarkus.test.junit.TestProfile;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** The service serves an Immich-layout folder (int32 ids, fixed batch 1) with the same results over HTTP. */
@QuarkusTest
@TestProfile(ImmichModelTest.Immich.class)
class ImmichModelTest {

    public static class Immich implements QuarkusTestProfile {
        @Override
        public Map<String, String> getConfigOverrides() {
            return Map.of("sightline.embed.model.dir", TestModels.immich().toString());
        }
    }

    @Test
    void describesTheImmichModelWithServiceDefaultLogitScale() {
        given().get("/model").then().statusCode(200)
                .body("models[0].layout", equalTo("immich"))
                .body("models[0].logitScale", equalTo(100.0f))
                .body("models[0].textBatching.maxBatchSize", equalTo(1))
                .body("models[0].imageBatching.maxBatchSize", equalTo(1));
    }

    @Test
    void embedsLikeTheReference() {
        for (JsonNode img : Fixture.parity().get("images")) {
            double cos = Fixture.cosine(Api.imageEmbedding(Fixture.bytes(img.get("file").asText())),
                    Fixture.vector(img.get("embedding")));
            assertTrue(cos >= 0.9999, img.get("file") + " cosine " + cos);
        }
        JsonNode text = Fixture.parity().get("texts").get(0);
        double cos = Fixture.cosine(Api.textEmbedding(text.get("text").asText()), Fixture.vector(text.get("embedding")));
        assertTrue(cos >= 0.9999, "text cosine " + cos);
    }
}
