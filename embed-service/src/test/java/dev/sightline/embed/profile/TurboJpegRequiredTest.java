package dev.sightline.embed.profile;

import static io.restassured.RestAssured.given;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.equalTo;

import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.QuarkusTestProfile;
import io.quarkus.test.junit.TestProfile;
import io.restassured.http.ContentType;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * With decoding.jpeg=turbojpeg and no TurboJPEG binding where it is looked for, the model does not load and the
 * service says why: a container image that lost the package never serves at a third of its JPEG speed unnoticed.
 */
@QuarkusTest
@TestProfile(TurboJpegRequiredTest.Required.class)
class TurboJpegRequiredTest {

    public static class Required implements QuarkusTestProfile {
        @Override
        public Map<String, String> getConfigOverrides() {
            return Map.of("sightline.embed.decoding.jpeg", "turbojpeg",
                    "sightline.embed.decoding.turbojpeg-jar", "/nonexistent/turbojpeg.jar");
        }
    }

    @Test
    void readinessFailsWhenLibjpegTurboIsRequiredButMissing() throws InterruptedException {
        for (int i = 0; i < 100 && given().get("/q/health/ready").asString().contains("loading"); i++) {
            Thread.sleep(100);
        }
        given().get("/q/health/live").then().statusCode(200);
        given().get("/q/health/ready").then().statusCode(503).body("status", equalTo("DOWN"))
                .body("checks[0].data.state", containsString("decoding.jpeg=turbojpeg"))
                .body("checks[0].data.state", containsString("apt-get install libturbojpeg-java"));
        given().contentType(ContentType.JSON).body("{\"texts\":[\"a red circle\"]}").post("/embed/text").then()
                .statusCode(503).contentType("application/problem+json");
    }
}
