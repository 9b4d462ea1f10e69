package dev.sightline.embed.profile;

import static io.restassured.RestAssured.given;
import static org.hamcrest.Matchers.equalTo;

import dev.sightline.embed.batching.BatchRunner;
import dev.sightline.embed.inference.ModelRunners;
import dev.sightline.embed.inference.RuntimeOptions;
import dev.sightline.embed.support.Api;
import dev.sightline.embed.support.FaultInjectingRunner;
import dev.sightline.embed.support.Fixture;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.QuarkusTestProfile;
import io.quarkus.test.junit.TestProfile;
import io.restassured.http.ContentType;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.inject.Alternative;
import java.nio.file.Path;
import java.util.Set;
import java.util.concurrent.atomic.AtomicBoolean;
import org.junit.jupiter.api.Test;

/** A text worker that meets an Error takes readiness down, naming the encoder, and text requests fail fast. */
@QuarkusTest
@TestProfile(EncoderWorkerDeathTest.FailingTextWorker.class)
class EncoderWorkerDeathTest {

    public static class FailingTextWorker implements QuarkusTestProfile {
        @Override
        public Set<Class<?>> getEnabledAlternatives() {
            return Set.of(FailingTextRunners.class);
        }
    }

    /** The real runners, except that text runners throw an OutOfMemoryError once armed. */
    @Alternative
    @ApplicationScoped
    public static class FailingTextRunners extends ModelRunners {

        static final AtomicBoolean ARMED = new AtomicBoolean();

        @Override
        public BatchRunner<int[]> text(Path file, RuntimeOptions options) {
            BatchRunner<int[]> real = super.text(file, options);
            return new FaultInjectingRunner<>(real, inputs -> {
                if (ARMED.get()) {
                    throw new OutOfMemoryError("injected by the test");
                }
            });
        }
    }

    @Test
    void aTextWorkerErrorTurnsReadinessDownNamingTheEncoderAndTextRequestsFailFast() throws InterruptedException {
        // The model loads in the background: wait for it rather than race it.
        for (int i = 0; i < 200 && given().get("/q/health/ready").statusCode() != 200; i++) {
            Thread.sleep(50);
        }
        given().get("/q/health/ready").then().statusCode(200).body("status", equalTo("UP"));
        Api.textEmbedding("a red circle");

        FailingTextRunners.ARMED.set(true);
        String detail = "The text encoder stopped after an internal error; the service must be restarted.";
        given().contentType(ContentType.JSON).body("{\"texts\":[\"a red circle\"]}").post("/embed/text").then()
                .statusCode(503).contentType("application/problem+json").header("Retry-After", "1")
                .body("type", equalTo("https://sightline.dev/problems/not-ready")).body("detail", equalTo(detail));

        given().get("/q/health/ready").then().statusCode(503).body("status", equalTo("DOWN"))
                .body("checks[0].data.encoder", equalTo("text"))
                .body("checks[0].data.state",
                        equalTo("failed: the text encoder stopped: java.lang.OutOfMemoryError: injected by the test"));
        given().contentType(ContentType.JSON).body("{\"texts\":[\"a blue square\"]}").post("/embed/text").then()
                .statusCode(503).body("type", equalTo("https://sightline.dev/problems/not-ready"))
                .body("detail", equalTo(detail));
        // The image encoder has its own workers and keeps answering.
        Api.imageEmbedding(Fixture.bytes("images/wide.png"));
    }
}
