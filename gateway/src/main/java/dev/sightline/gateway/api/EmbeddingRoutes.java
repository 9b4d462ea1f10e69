package dev.sightline.gateway.api;

import com.fasterxml.jackson.databind.JsonNode;
import dev.sightline.gateway.ErrorCode;
import dev.sightline.gateway.GatewayException;
import dev.sightline.gateway.api.Http.Reply;
import dev.sightline.gateway.client.Backends;
import dev.sightline.gateway.config.GatewayConfig;
import io.smallrye.mutiny.Uni;
import io.vertx.core.http.HttpMethod;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.Router;
import io.vertx.ext.web.RoutingContext;
import jakarta.enterprise.context.ApplicationScoped;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/** OpenAI-compatible {@code /v1/models} and {@code /v1/embeddings}. */
@ApplicationScoped
public class EmbeddingRoutes {

    /** {@code POST /v1/embeddings}. */
    record EmbeddingsRequest(String model, JsonNode input, String encodingFormat, Integer dimensions, String user) {
    }

    private final Backends backends;
    private final ModelCatalog catalog;
    private final GatewayConfig.Limits limits;
    private final long started = System.currentTimeMillis() / 1000;

    public EmbeddingRoutes(Backends backends, ModelCatalog catalog, GatewayConfig config) {
        this.backends = backends;
        this.catalog = catalog;
        this.limits = config.limits();
    }

    void register(Router router) {
        router.get("/v1/models").handler(rc -> Http.handle(rc, this::models));
        router.post("/v1/embeddings").handler(rc -> Http.handle(rc, this::embeddings));
    }

    private Uni<Reply> models(RoutingContext rc) {
        return catalog.model().map(m -> Reply.ok(Map.of("object", "list", "data", List.of(Map.of(
                "id", m.getString("id"), "object", "model", "created", started, "owned_by", "sightline",
                "dimensions", m.getInteger("dimensions"), "modalities", m.getJsonArray("modalities").getList())))));
    }

    /** One input of an embeddings request: a text or an image, at its position. */
    private record Part(String text, String image) {
    }

    private Uni<Reply> embeddings(RoutingContext rc) {
        EmbeddingsRequest req = Http.body(rc, EmbeddingsRequest.class, Http.LENIENT);
        if (req.model() == null || req.model().isBlank()) {
            throw Http.invalid("model is required.");
        }
        String format = req.encodingFormat() == null ? "float" : req.encodingFormat();
        if (!format.equals("float") && !format.equals("base64")) {
            throw Http.invalid("encoding_format must be float or base64.");
        }
        List<Part> parts = parts(req.input());
        return catalog.model().flatMap(model -> {
            if (!model.getString("id").equals(req.model())) {
                throw new GatewayException(ErrorCode.NOT_FOUND, "The model " + req.model() + " does not exist; "
                        + "GET /v1/models lists the served one.");
            }
            if (req.dimensions() != null && !req.dimensions().equals(model.getInteger("dimensions"))) {
                throw Http.invalid("dimensions must be " + model.getInteger("dimensions") + " for this model.");
            }
            List<String> texts = new ArrayList<>();
            List<String> images = new ArrayList<>();
            for (Part p : parts) {
                if (p.text() != null) {
                    texts.add(p.text());
                } else {
                    images.add(p.image());
                }
            }
            Uni<JsonObject> t = texts.isEmpty() ? Uni.createFrom().item(new JsonObject())
                    : backends.embed().call(HttpMethod.POST, "/embed/text", null,
                            new JsonObject().put("texts", texts).put("encoding", format), true).map(r -> r.json());
            Uni<JsonObject> i = images.isEmpty() ? Uni.createFrom().item(new JsonObject())
                    : backends.embed().call(HttpMethod.POST, "/embed/image", null,
                            new JsonObject().put("images", images).put("encoding", format), true).map(r -> r.json());
            return Uni.combine().all().unis(t, i).asTuple().map(both -> {
                JsonArray te = both.getItem1().getJsonArray("embeddings", new JsonArray());
                JsonArray ie = both.getItem2().getJsonArray("embeddings", new JsonArray());
                JsonArray data = new JsonArray();
                int ti = 0;
                int ii = 0;
                for (int k = 0; k < parts.size(); k++) {
                    Object emb = parts.get(k).text() != null ? te.getValue(ti++) : ie.getValue(ii++);
                    data.add(new JsonObject().put("object", "embedding").put("index", k).put("embedding", emb));
                }
                int tokens = both.getItem1().getJsonArray("tokens", new JsonArray()).stream()
                        .mapToInt(o -> ((Number) o).intValue()).sum();
                return Reply.ok(new JsonObject().put("object", "list").put("data", data).put("model", model.getString("id"))
                        .put("usage", new JsonObject().put("prompt_tokens", tokens).put("total_tokens", tokens)));
            });
        });
    }

    private List<Part> parts(JsonNode input) {
        if (input == null || input.isNull()) {
            throw Http.invalid("input is required.");
        }
        List<Part> parts = new ArrayList<>();
        if (input.isTextual()) {
            parts.add(text(input.asText()));
            return parts;
        }
        if (!input.isArray() || input.isEmpty()) {
            throw Http.invalid("input must be a string, a non-empty array of strings or of content parts.");
        }
        if (input.size() > limits.maxEmbeddingInputs()) {
            throw new GatewayException(ErrorCode.PAYLOAD_TOO_LARGE,
                    "At most " + limits.maxEmbeddingInputs() + " inputs per request; got " + input.size() + ".");
        }
        int images = 0;
        for (int k = 0; k < input.size(); k++) {
            JsonNode n = input.get(k);
            if (n.isTextual()) {
                parts.add(text(n.asText()));
            } else if (n.isObject() && "text".equals(n.path("type").asText()) && n.path("text").isTextual()) {
                parts.add(text(n.get("text").asText()));
            } else if (n.isObject() && "image_url".equals(n.path("type").asText())
                    && n.path("image_url").path("url").isTextual()) {
                parts.add(new Part(null, n.get("image_url").get("url").asText()));
                images++;
            } else if (n.isNumber() || n.isArray()) {
                throw Http.invalid("input[" + k + "]: token arrays are not supported; send text.");
            } else {
                throw Http.invalid("input[" + k + "] must be a string, {\"type\":\"text\",\"text\":…} or "
                        + "{\"type\":\"image_url\",\"image_url\":{\"url\":…}}.");
            }
        }
        if (images > limits.maxImages()) {
            throw new GatewayException(ErrorCode.PAYLOAD_TOO_LARGE,
                    "At most " + limits.maxImages() + " images per request; got " + images + ".");
        }
        return parts;
    }

    private static Part text(String s) {
        if (s.isBlank()) {
            throw Http.invalid("input texts must not be empty.");
        }
        return new Part(s, null);
    }
}
