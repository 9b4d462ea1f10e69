package dev.sightline.gateway.api;

import static dev.sightline.gateway.auth.Authenticator.tenant;

import dev.sightline.gateway.service.ModerationService;
import dev.sightline.gateway.service.Calibrator;
import dev.sightline.gateway.service.Calibrator.Calibrate;
import dev.sightline.gateway.service.ModerationService.Moderate;
import dev.sightline.gateway.service.ModerationService.SavePolicy;
import io.smallrye.mutiny.Uni;
import io.vertx.ext.web.Router;
import io.vertx.ext.web.RoutingContext;
import jakarta.enterprise.context.ApplicationScoped;

/** Moderation policies, moderating an image or a text (JSON or multipart), and calibration. */
@ApplicationScoped
public class ModerationHandlers {

    private final ModerationService moderation;
    private final Calibrator calibrator;
    private final Uploads uploads;

    public ModerationHandlers(ModerationService moderation, Calibrator calibrator, Uploads uploads) {
        this.moderation = moderation;
        this.calibrator = calibrator;
        this.uploads = uploads;
    }

    void register(Router r) {
        r.get("/v1/moderation/policies").handler(rc -> Http.ok(rc, () -> moderation.list(tenant(rc))));
        r.put("/v1/moderation/policies/:name").handler(rc -> Http.relay(rc, () -> moderation.save(tenant(rc),
                name(rc), Http.body(rc, SavePolicy.class, Http.STRICT))));
        r.get("/v1/moderation/policies/:name").handler(rc -> Http.ok(rc, () -> moderation.get(tenant(rc), name(rc))));
        r.delete("/v1/moderation/policies/:name").handler(rc -> Http.noContent(rc,
                () -> moderation.delete(tenant(rc), name(rc))));
        r.post("/v1/moderation/policies/:name/calibrate").handler(rc -> Http.ok(rc, () -> calibrator.calibrate(
                tenant(rc), name(rc), Http.body(rc, Calibrate.class, Http.STRICT))));
        r.post("/v1/moderate").handler(rc -> Http.ok(rc, () -> moderateRequest(rc)
                .flatMap(req -> moderation.moderate(tenant(rc), req))));
    }

    private Uni<Moderate> moderateRequest(RoutingContext rc) {
        if (!Http.multipart(rc)) {
            return Uni.createFrom().item(Http.body(rc, Moderate.class, Http.STRICT));
        }
        String policy = Uploads.textField(rc, "policy");
        return uploads.base64(rc, "image").map(image -> new Moderate(policy, image, null));
    }

    private static String name(RoutingContext rc) {
        return rc.pathParam("name");
    }
}
