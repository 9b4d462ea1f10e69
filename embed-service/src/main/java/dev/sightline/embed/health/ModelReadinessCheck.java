package dev.sightline.embed.health;

import dev.sightline.embed.inference.ClipEncoder;
import jakarta.enterprise.context.ApplicationScoped;
import org.eclipse.microprofile.health.HealthCheck;
import org.eclipse.microprofile.health.HealthCheckResponse;
import org.eclipse.microprofile.health.HealthCheckResponseBuilder;
import org.eclipse.microprofile.health.Readiness;

/**
 * Ready once the model is loaded and its warm-up inference passed (on the required device), and as long as no
 * encoder's worker has stopped on an error.
 */
@Readiness
@ApplicationScoped
public class ModelReadinessCheck implements HealthCheck {

    private final ClipEncoder encoder;

    public ModelReadinessCheck(ClipEncoder encoder) {
        this.encoder = encoder;
    }

    @Override
    public HealthCheckResponse call() {
        HealthCheckResponseBuilder b = HealthCheckResponse.named("model");
        if (encoder.ready()) {
            return b.up().withData("model", encoder.info().id())
                    .withData("provider", encoder.info().executionProvider()).build();
        }
        String failure = encoder.failure();
        b.down().withData("state", failure == null ? "loading" : "failed: " + failure);
        String stopped = encoder.stoppedEncoder();
        if (stopped != null) {
            b.withData("encoder", stopped);
        }
        return b.build();
    }
}
