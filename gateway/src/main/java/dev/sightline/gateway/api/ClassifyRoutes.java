package dev.sightline.gateway.api;

import dev.sightline.common.zeroshot.Prediction;
import dev.sightline.common.zeroshot.ZeroShot;
import dev.sightline.gateway.ErrorCode;
import dev.sightline.gateway.GatewayException;
import dev.sightline.gateway.api.Http.Reply;
import dev.sightline.gateway.client.Backends;
import io.smallrye.mutiny.Uni;
import io.vertx.core.http.HttpMethod;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.FileUpload;
import io.vertx.ext.web.Router;
import io.vertx.ext.web.RoutingContext;
import io.vertx.mutiny.core.Vertx;
import jakarta.enterprise.context.ApplicationScoped;
import java.util.ArrayList;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Pattern;

/** Zero-shot classification, ad hoc and with saved classifiers whose label embeddings are computed once. */
@ApplicationScoped
public class ClassifyRoutes {

    private static final Pattern NAME = Pattern.compile("[a-z0-9][a-z0-9_-]{0,62}");

    record ClassifyRequest(String image, List<String> labels, List<String> templates, Integer topK) {
    }

    record ClassifierRequest(List<String> labels, List<String> templates) {
    }

    record ClassifierClassify(String image, Integer topK) {
    }

    private final Backends backends;
    private final ModelCatalog catalog;
    private final Vertx vertx;

    public ClassifyRoutes(Backends backends, ModelCatalog catalog, Vertx vertx) {
        this.backends = backends;
        this.catalog = catalog;
        this.vertx = vertx;
    }

    void register(Router r) {
        r.post("/v1/classify").handler(rc -> Http.handle(rc, this::classify));
        r.put("/v1/classifiers/:name").handler(rc -> Http.handle(rc, this::save));
        r.get("/v1/classifiers/:name").handler(rc -> Http.handle(rc, this::get));
        r.delete("/v1/classifiers/:name").handler(rc -> Http.handle(rc, c -> backends.retrieval()
                .call(HttpMethod.DELETE, path(c), GatewayRouter.tenant(c), null, true)
                .map(x -> new Reply(204, null))));
        r.post("/v1/classifiers/:name/classify").handler(rc -> Http.handle(rc, this::classifyWith));
    }

    private static String path(RoutingContext rc) {
        String name = rc.pathParam("name");
        if (!NAME.matcher(name).matches()) {
            throw Http.invalid("Classifier names must match " + NAME.pattern() + ".");
        }
        return "/classifiers/" + name;
    }

    private static boolean multipart(RoutingContext rc) {
        String ct = rc.request().getHeader("Content-Type");
        return ct != null && ct.toLowerCase().startsWith("multipart/form-data");
    }

    private Uni<ClassifyRequest> classifyRequest(RoutingContext rc) {
        if (!multipart(rc)) {
            return Uni.createFrom().item(Http.body(rc, ClassifyRequest.class, Http.STRICT));
        }
        List<String> labels = rc.request().formAttributes().getAll("labels");
        List<String> templates = rc.request().formAttributes().getAll("templates");
        Integer topK = topK(rc.request().getFormAttribute("top_k"));
        return imageFile(rc).map(img -> new ClassifyRequest(img, labels, templates.isEmpty() ? null : templates, topK));
    }

    private Uni<Reply> classify(RoutingContext rc) {
        return classifyRequest(rc).flatMap(req -> {
            if (req.image() == null || req.labels() == null) {
                throw Http.invalid("image and labels are required.");
            }
            JsonObject body = new JsonObject().put("image", req.image()).put("labels", req.labels());
            if (req.templates() != null) {
                body.put("templates", req.templates());
            }
            if (req.topK() != null) {
                body.put("top_k", req.topK());
            }
            return backends.embed().call(HttpMethod.POST, "/classify", null, body, true).map(r -> Reply.ok(r.json()));
        });
    }

    private Uni<Reply> save(RoutingContext rc) {
        String path = path(rc);
        ClassifierRequest req = Http.body(rc, ClassifierRequest.class, Http.STRICT);
        if (req.labels() == null) {
            throw Http.invalid("labels is required.");
        }
        JsonObject labels = new JsonObject().put("labels", req.labels());
        if (req.templates() != null) {
            labels.put("templates", req.templates());
        }
        // embed-service validates labels and templates and embeds each label with prompt ensembling, once.
        return backends.embed().call(HttpMethod.POST, "/classify/labels", null, labels, true).flatMap(r -> {
            JsonObject stored = new JsonObject().put("model", r.json().getString("model")).put("labels", req.labels())
                    .put("templates", r.json().getJsonArray("templates"))
                    .put("label_vectors", r.json().getJsonArray("embeddings"));
            return backends.retrieval().call(HttpMethod.PUT, path, GatewayRouter.tenant(rc), stored, true);
        }).map(r -> new Reply(r.status(), view(r.json())));
    }

    private Uni<Reply> get(RoutingContext rc) {
        return backends.retrieval().call(HttpMethod.GET, path(rc), GatewayRouter.tenant(rc), null, true)
                .map(r -> Reply.ok(view(r.json())));
    }

    private static JsonObject view(JsonObject stored) {
        return new JsonObject().put("name", stored.getString("name")).put("labels", stored.getJsonArray("labels"))
                .put("templates", stored.getJsonArray("templates")).put("model", stored.getString("model"))
                .put("created_at", stored.getString("created_at"));
    }

    private Uni<Reply> classifyWith(RoutingContext rc) {
        String path = path(rc);
        Uni<ClassifierClassify> request = multipart(rc)
                ? imageFile(rc).map(img -> new ClassifierClassify(img, topK(rc.request().getFormAttribute("top_k"))))
                : Uni.createFrom().item(Http.body(rc, ClassifierClassify.class, Http.STRICT));
        return request.flatMap(req -> {
            if (req.image() == null) {
                throw Http.invalid("image is required.");
            }
            if (req.topK() != null && req.topK() < 1) {
                throw Http.invalid("top_k must be positive.");
            }
            String tenant = GatewayRouter.tenant(rc);
            Uni<JsonObject> classifier = backends.retrieval()
                    .call(HttpMethod.GET, path + "?include=vectors", tenant, null, true).map(r -> r.json());
            Uni<JsonObject> image = backends.embed().call(HttpMethod.POST, "/embed/image", null,
                    new JsonObject().put("images", List.of(req.image())), true).map(r -> r.json());
            Uni<JsonObject> model = catalog.model();
            return Uni.combine().all().unis(classifier, image, model).asTuple().map(t -> {
                JsonObject c = t.getItem1();
                if (!c.getString("model").equals(t.getItem3().getString("id"))) {
                    throw new GatewayException(ErrorCode.INVALID_REQUEST, "The classifier was saved with model "
                            + c.getString("model") + "; save it again for " + t.getItem3().getString("id") + ".");
                }
                List<String> labels = c.getJsonArray("labels").stream().map(Object::toString).toList();
                List<float[]> vectors = new ArrayList<>();
                for (Object o : c.getJsonArray("label_vectors")) {
                    vectors.add(floats((JsonArray) o));
                }
                float[] img = floats(t.getItem2().getJsonArray("embeddings").getJsonArray(0));
                List<Prediction> predictions = ZeroShot.rank(img, labels, vectors,
                        t.getItem3().getFloat("logitScale"), req.topK());
                Map<String, Object> out = new LinkedHashMap<>();
                out.put("model", c.getString("model"));
                out.put("predictions", predictions);
                return Reply.ok(out);
            });
        });
    }

    private Uni<String> imageFile(RoutingContext rc) {
        FileUpload file = rc.fileUploads().stream().filter(f -> f.name().equals("image")).findFirst()
                .orElseThrow(() -> Http.invalid("Send the image as a file part named 'image'."));
        return vertx.fileSystem().readFile(file.uploadedFileName())
                .map(b -> Base64.getEncoder().encodeToString(b.getBytes()));
    }

    private static Integer topK(String s) {
        if (s == null || s.isBlank()) {
            return null;
        }
        try {
            return Integer.valueOf(s.strip());
        } catch (NumberFormatException e) {
            throw Http.invalid("top_k must be an integer.");
        }
    }

    private static float[] floats(JsonArray a) {
        float[] v = new float[a.size()];
        for (int i = 0; i < v.length; i++) {
            v[i] = ((Number) a.getValue(i)).floatValue();
        }
        return v;
    }
}
