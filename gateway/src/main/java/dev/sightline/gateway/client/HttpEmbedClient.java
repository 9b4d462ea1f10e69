package dev.sightline.gateway.client;

import dev.sightline.common.problem.CommonProblem;
import dev.sightline.common.problem.ProblemException;
import dev.sightline.gateway.client.BackendCall.Effect;
import dev.sightline.gateway.config.GatewayConfig;
import io.smallrye.mutiny.Uni;
import io.vertx.core.http.HttpMethod;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import jakarta.enterprise.context.ApplicationScoped;
import java.time.Duration;
import java.util.List;

/** {@link EmbedClient} over HTTP: the only place embed-service's paths appear. Every call is a read: it changes nothing. */
@ApplicationScoped
public class HttpEmbedClient implements EmbedClient {

    /** How long the served models' description is reused; a change of models shows within this time. */
    private static final long MODEL_TTL_NANOS = Duration.ofSeconds(30).toNanos();

    private final BackendCall backend;
    private volatile List<ModelInfo> models;
    private volatile long modelFetchedAt;

    public HttpEmbedClient(BackendHttp http, GatewayConfig config) {
        this.backend = http.backend("embed-service", config.embed());
    }

    @Override
    public Uni<Embeddings> embedTexts(List<String> texts, String encoding, String model) {
        return embed("/embed/text", "texts", texts, encoding, model == null ? new JsonObject()
                : new JsonObject().put("model", model));
    }

    @Override
    public Uni<Embeddings> embedImages(List<String> images, String encoding, boolean sources, boolean thumbnails,
            String model) {
        JsonObject extra = new JsonObject();
        if (model != null) {
            extra.put("model", model);
        }
        if (sources) {
            extra.put("sources", true);
        }
        if (thumbnails) {
            extra.put("thumbnails", true);
        }
        return embed("/embed/image", "images", images, encoding, extra);
    }

    private Uni<Embeddings> embed(String path, String field, List<String> values, String encoding, JsonObject extra) {
        if (values.isEmpty()) {
            return Uni.createFrom().item(Embeddings.NONE);
        }
        JsonObject body = extra.copy().put(field, values);
        if (encoding != null) {
            body.put("encoding", encoding);
        }
        return backend.call(HttpMethod.POST, path, null, body, Effect.READ).map(r -> {
            int tokens = r.json().getJsonArray("tokens", new JsonArray()).stream()
                    .mapToInt(o -> ((Number) o).intValue()).sum();
            return new Embeddings(r.json().getJsonArray("embeddings"), tokens, r.json().getJsonArray("sources"),
                    r.json().getJsonArray("thumbnails"));
        });
    }

    @Override
    public Uni<JsonObject> classify(JsonObject request) {
        return backend.call(HttpMethod.POST, "/classify", null, request, Effect.READ).map(BackendReply::json);
    }

    @Override
    public Uni<LabelEmbeddings> labelEmbeddings(List<String> labels, List<String> templates, String model) {
        JsonObject body = new JsonObject().put("labels", labels);
        if (model != null) {
            body.put("model", model);
        }
        if (templates != null) {
            body.put("templates", templates);
        }
        return backend.call(HttpMethod.POST, "/classify/labels", null, body, Effect.READ).map(r -> new LabelEmbeddings(
                r.json().getString("model"), r.json().getJsonArray("templates"), r.json().getJsonArray("embeddings")));
    }

    @Override
    public Uni<List<ModelInfo>> models() {
        List<ModelInfo> m = models;
        if (m != null && System.nanoTime() - modelFetchedAt < MODEL_TTL_NANOS) {
            return Uni.createFrom().item(m);
        }
        return backend.call(HttpMethod.GET, "/model", null, null, Effect.READ).map(r -> {
            // The default first; a model still loading has no description yet and is left out until it has one.
            List<ModelInfo> fresh = r.json().getJsonArray("models").stream().map(o -> (JsonObject) o)
                    .filter(j -> j.getInteger("dimensions") != null)
                    .map(j -> new ModelInfo(j.getString("id"), j.getInteger("dimensions"), j.getFloat("logitScale"),
                            j.getJsonArray("modalities").stream().map(Object::toString).toList()))
                    .toList();
            if (fresh.isEmpty() || !fresh.get(0).id().equals(r.json().getString("defaultModel"))) {
                throw new ProblemException(CommonProblem.UNAVAILABLE, "The default model is not loaded yet.");
            }
            models = fresh;
            modelFetchedAt = System.nanoTime();
            return fresh;
        });
    }
}
