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

/** With device=gpu on a CPU-only ONNX Runtime the service stays alive but never reports ready. */
@QuarkusTest
@TestProfile(GpuRequiredTest.Gpu.class)
class GpuRequiredTest {

    public static class Gpu implements QuarkusTestProfile {
        @Override
        public Map<String, String> getConfigOverrides() {
            return Map.of("sightline.embed.runtime.device", "gpu");
        }
    }

    @Test
    void readinessFailsWhenGpuIsRequiredButNotActive() throws InterruptedException {
        // The loader runs in the background: wait until it has given up rather than while it is still loading.
        for (int i = 0; i < 100 && given().get("/q/health/ready").asString().contains("loading"); i++) {
            Thread.sleep(100);
        }
        given().get("/q/health/live").then().statusCode(200);
        given().get("/q/health/ready").then().statusCode(503).body("status", equalTo("DOWN"))
                .body("checks[0].data.state", containsString("device=gpu"));
        given().contentType(ContentType.JSON).body("{\"texts\":[\"a red circle\"]}").post("/embed/text").then()
                .statusCode(503).contentType("application/problem+json").header("Retry-After", "1");
    }
}
