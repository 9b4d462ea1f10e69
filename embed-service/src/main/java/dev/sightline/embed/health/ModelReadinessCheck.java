package dev.sightline.embed.health;

import dev.sightline.embed.inference.ClipEncoder;
import dev.sightline.embed.inference.Encoders;
import jakarta.enterprise.context.ApplicationScoped;
import org.eclipse.microprofile.health.HealthCheck;
import org.eclipse.microprofile.health.HealthCheckResponse;
import org.eclipse.microprofile.health.HealthCheckResponseBuilder;
import org.eclipse.microprofile.health.Readiness;

/**
 * Ready once every served model is loaded and passed its warm-up inference (on the required device), and as long
 * as no encoder's worker has stopped on an error. The data name each model's state ({@code ready}, {@code loading},
 * {@code failed: ...}) and the default model, so a readiness probe says which model holds the service back.
 */
@Readiness
@ApplicationScoped
public class ModelReadinessCheck implements HealthCheck {

    private final Encoders encoders;

    public ModelReadinessCheck(Encoders encoders) {
        this.encoders = encoders;
    }

    @Override
    public HealthCheckResponse call() {
        HealthCheckResponseBuilder b = HealthCheckResponse.named("model");
        ClipEncoder held = null;
        for (ClipEncoder e : encoders.all()) {
            String failure = e.failure();
            String state = e.ready() ? "ready on " + e.info().executionProvider()
                    : failure == null ? "loading" : "failed: " + failure;
            b.withData(e.id(), state);
            if (!e.ready() && held == null) {
                // The first model holding the service back, as "state" (and the stopped "encoder", if one).
                held = e;
                b.withData("state", state);
                if (e.stoppedEncoder() != null) {
                    b.withData("encoder", e.stoppedEncoder());
                }
            }
        }
        ClipEncoder first = encoders.all().iterator().next();
        b.withData("model", encoders.defaultId());
        if (first.ready()) {
            b.withData("provider", first.info().executionProvider());
        }
        return held == null ? b.up().build() : b.down().build();
    }
}
