package dev.sightline.gateway.service;

import dev.sightline.common.naming.Names;
import dev.sightline.common.zeroshot.Prediction;
import dev.sightline.common.zeroshot.ZeroShot;
import dev.sightline.gateway.client.BackendReply;
import dev.sightline.gateway.client.EmbedClient;
import dev.sightline.gateway.client.Embeddings;
import dev.sightline.gateway.client.ModelInfo;
import dev.sightline.gateway.client.RetrievalClient;
import io.smallrye.mutiny.Uni;
import io.smallrye.mutiny.tuples.Tuple3;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import jakarta.enterprise.context.ApplicationScoped;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/** Zero-shot classification, ad hoc and with saved classifiers whose label embeddings are computed once. */
@ApplicationScoped
public class ClassifyService {

    /** {@code POST /v1/classify}; {@code model}: a served model's id, null for the default. */
    public record Classify(String image, List<String> labels, List<String> templates, Integer topK, String model) {
    }

    /** {@code PUT /v1/classifiers/{name}}; the label embeddings are made with {@code model} (null: the default). */
    public record SaveClassifier(List<String> labels, List<String> templates, String model) {
    }

    /** {@code POST /v1/classifiers/{name}/classify}. */
    public record ClassifyWith(String image, Integer topK) {
    }

    private final EmbedClient embed;
    private final RetrievalClient retrieval;

    public ClassifyService(EmbedClient embed, RetrievalClient retrieval) {
        this.embed = embed;
        this.retrieval = retrieval;
    }

    /** Ad hoc: embed-service embeds the prompts and the image and ranks the labels. */
    public Uni<JsonObject> classify(Classify req) {
        if (req.image() == null || req.labels() == null) {
            throw Problems.invalid("image and labels are required.");
        }
        JsonObject body = new JsonObject().put("image", req.image()).put("labels", req.labels());
        if (req.templates() != null) {
            body.put("templates", req.templates());
        }
        if (req.topK() != null) {
            body.put("top_k", req.topK());
        }
        if (req.model() == null) {
            return embed.classify(body);
        }
        // An unknown model is the gateway's 404, named as /v1/models names the models.
        return embed.model(req.model()).flatMap(m -> embed.classify(body.put("model", m.id())));
    }

    /** Embeds each label once (embed-service validates labels and templates) and stores the classifier. */
    public Uni<BackendReply> save(String tenant, String name, SaveClassifier req) {
        checkName(name);
        if (req.labels() == null) {
            throw Problems.invalid("labels is required.");
        }
        Uni<String> model = req.model() == null ? Uni.createFrom().nullItem() : embed.model(req.model()).map(m -> m.id());
        return model.flatMap(id -> embed.labelEmbeddings(req.labels(), req.templates(), id))
                .flatMap(e -> retrieval.saveClassifier(tenant, name,
                new JsonObject().put("model", e.model()).put("labels", req.labels()).put("templates", e.templates())
                        .put("label_vectors", e.vectors())))
                .map(r -> new BackendReply(r.status(), view(r.json())));
    }

    /** {@code GET /v1/classifiers}: the tenant's classifiers by name. */
    public Uni<JsonObject> list(String tenant) {
        return retrieval.classifiers(tenant).map(list -> {
            JsonArray out = new JsonArray();
            list.getJsonArray("classifiers").forEach(c -> out.add(view((JsonObject) c)));
            return new JsonObject().put("classifiers", out);
        });
    }

    public Uni<JsonObject> get(String tenant, String name) {
        checkName(name);
        return retrieval.classifier(tenant, name, false).map(ClassifyService::view);
    }

    public Uni<Void> delete(String tenant, String name) {
        checkName(name);
        return retrieval.deleteClassifier(tenant, name);
    }

    /** Scores an image against a saved classifier's label vectors, here: only the image is embedded. */
    public Uni<Map<String, Object>> classifyWith(String tenant, String name, ClassifyWith req) {
        checkName(name);
        if (req.image() == null) {
            throw Problems.invalid("image is required.");
        }
        if (req.topK() != null && req.topK() < 1) {
            throw Problems.invalid("top_k must be positive.");
        }
        // The image is embedded by the model the labels were: the classifier's own.
        return retrieval.classifier(tenant, name, true).flatMap(c -> embed.models().flatMap(served -> {
            String model = c.getString("model");
            ModelInfo info = served.stream().filter(m -> m.id().equals(model)).findFirst().orElseThrow(() ->
                    Problems.invalid("The classifier was saved with the model " + model + ", which is not served"
                            + " here; save it again with a served one."));
            return embed.embedImages(List.of(req.image()), null, model).map(image -> Tuple3.of(c, image, info));
        })).map(t -> {
            JsonObject c = t.getItem1();
            List<String> labels = c.getJsonArray("labels").stream().map(Object::toString).toList();
            JsonArray stored = c.getJsonArray("label_vectors");
            List<float[]> vectors = new ArrayList<>();
            for (int i = 0; i < stored.size(); i++) {
                vectors.add(Embeddings.toFloats(stored.getJsonArray(i)));
            }
            List<Prediction> predictions = ZeroShot.rank(t.getItem2().floats(0), labels, vectors,
                    t.getItem3().logitScale(), req.topK());
            Map<String, Object> out = new LinkedHashMap<>();
            out.put("model", c.getString("model"));
            out.put("predictions", predictions);
            return out;
        });
    }

    private static void checkName(String name) {
        if (!Names.isName(name)) {
            throw Problems.invalid("Classifier names must match " + Names.NAME.pattern() + ".");
        }
    }

    /** A stored classifier as the public API shows it: no vectors. */
    private static JsonObject view(JsonObject stored) {
        return new JsonObject().put("name", stored.getString("name")).put("labels", stored.getJsonArray("labels"))
                .put("templates", stored.getJsonArray("templates")).put("model", stored.getString("model"))
                .put("created_at", stored.getString("created_at"));
    }
}
