package dev.sightline.gateway.api;

import static dev.sightline.gateway.auth.Authenticator.tenant;

import dev.sightline.gateway.service.ClassifyService;
import dev.sightline.gateway.service.ClassifyService.Classify;
import dev.sightline.gateway.service.ClassifyService.ClassifyWith;
import dev.sightline.gateway.service.ClassifyService.SaveClassifier;
import io.smallrye.mutiny.Uni;
import io.vertx.ext.web.Router;
import io.vertx.ext.web.RoutingContext;
import jakarta.enterprise.context.ApplicationScoped;
import java.util.List;

/** Zero-shot classification (JSON or multipart) and saved classifiers. */
@ApplicationScoped
public class ClassifyHandlers {

    private final ClassifyService classify;
    private final Uploads uploads;

    public ClassifyHandlers(ClassifyService classify, Uploads uploads) {
        this.classify = classify;
        this.uploads = uploads;
    }

    void register(Router r) {
        r.post("/v1/classify").handler(rc -> Http.ok(rc, () -> classifyRequest(rc).flatMap(classify::classify)));
        r.get("/v1/classifiers").handler(rc -> Http.ok(rc, () -> classify.list(tenant(rc))));
        r.put("/v1/classifiers/:name").handler(rc -> Http.relay(rc, () -> classify.save(tenant(rc), name(rc),
                Http.body(rc, SaveClassifier.class, Http.STRICT))));
        r.get("/v1/classifiers/:name").handler(rc -> Http.ok(rc, () -> classify.get(tenant(rc), name(rc))));
        r.delete("/v1/classifiers/:name").handler(rc -> Http.noContent(rc,
                () -> classify.delete(tenant(rc), name(rc))));
        r.post("/v1/classifiers/:name/classify").handler(rc -> Http.ok(rc, () -> classifyWithRequest(rc)
                .flatMap(req -> classify.classifyWith(tenant(rc), name(rc), req))));
    }

    private Uni<Classify> classifyRequest(RoutingContext rc) {
        if (!Http.multipart(rc)) {
            return Uni.createFrom().item(Http.body(rc, Classify.class, Http.STRICT));
        }
        List<String> labels = Uploads.textFields(rc, "labels");
        List<String> templates = Uploads.textFields(rc, "templates");
        Integer topK = Uploads.intField(rc, "top_k");
        return uploads.base64(rc, "image")
                .map(image -> new Classify(image, labels, templates.isEmpty() ? null : templates, topK,
                        Uploads.textField(rc, "model")));
    }

    private Uni<ClassifyWith> classifyWithRequest(RoutingContext rc) {
        if (!Http.multipart(rc)) {
            return Uni.createFrom().item(Http.body(rc, ClassifyWith.class, Http.STRICT));
        }
        Integer topK = Uploads.intField(rc, "top_k");
        return uploads.base64(rc, "image").map(image -> new ClassifyWith(image, topK));
    }

    private static String name(RoutingContext rc) {
        return rc.pathParam("name");
    }
}
