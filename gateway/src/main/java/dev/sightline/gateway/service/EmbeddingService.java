package dev.sightline.gateway.service;

import com.fasterxml.jackson.databind.JsonNode;
import dev.sightline.gateway.client.EmbedClient;
import dev.sightline.gateway.config.GatewayConfig;
import io.smallrye.mutiny.Uni;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import jakarta.enterprise.context.ApplicationScoped;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/** OpenAI-compatible model listing and embeddings of texts and images. */
@ApplicationScoped
public class EmbeddingService {

    /** {@code POST /v1/embeddings}; {@code input} is a string, strings or content parts. */
    public record EmbeddingsRequest(String model, JsonNode input, String encodingFormat, Integer dimensions,
            String user) {
    }

    private final EmbedClient embed;
    private final Embedder embedder;
    private final GatewayConfig.Limits limits;
    private final long started = System.currentTimeMillis() / 1000;

    public EmbeddingService(EmbedClient embed, Embedder embedder, GatewayConfig config) {
        this.embed = embed;
        this.embedder = embedder;
        this.limits = config.limits();
    }

    /** {@code GET /v1/models}: the served models, the default first. */
    public Uni<Map<String, Object>> models() {
        return embed.models().map(all -> Map.of("object", "list", "data", all.stream().map(m -> Map.of(
                "id", m.id(), "object", "model", "created", started, "owned_by", "sightline",
                "dimensions", m.dimensions(), "modalities", m.modalities())).toList()));
    }

    public Uni<JsonObject> embeddings(EmbeddingsRequest req) {
        if (req.model() == null || req.model().isBlank()) {
            throw Problems.invalid("model is required.");
        }
        String format = req.encodingFormat() == null ? "float" : req.encodingFormat();
        if (!format.equals("float") && !format.equals("base64")) {
            throw Problems.invalid("encoding_format must be float or base64.");
        }
        List<Input> inputs = inputs(req.input());
        return embed.model(req.model()).flatMap(model -> {
            if (req.dimensions() != null && req.dimensions() != model.dimensions()) {
                throw Problems.invalid("dimensions must be " + model.dimensions() + " for this model.");
            }
            return embedder.embed(inputs, format, model.id()).map(e -> {
                JsonArray data = new JsonArray();
                for (int k = 0; k < inputs.size(); k++) {
                    data.add(new JsonObject().put("object", "embedding").put("index", k)
                            .put("embedding", e.vectors().getValue(k)));
                }
                return new JsonObject().put("object", "list").put("data", data).put("model", model.id())
                        .put("usage", new JsonObject().put("prompt_tokens", e.tokens()).put("total_tokens", e.tokens()));
            });
        });
    }

    private List<Input> inputs(JsonNode input) {
        if (input == null || input.isNull()) {
            throw Problems.invalid("input is required.");
        }
        List<Input> inputs = new ArrayList<>();
        if (input.isTextual()) {
            inputs.add(text(input.asText()));
            return inputs;
        }
        if (!input.isArray() || input.isEmpty()) {
            throw Problems.invalid("input must be a string, a non-empty array of strings or of content parts.");
        }
        if (input.size() > limits.maxEmbeddingInputs()) {
            throw Problems.tooLarge("At most " + limits.maxEmbeddingInputs() + " inputs per request; got "
                    + input.size() + ".");
        }
        int images = 0;
        for (int k = 0; k < input.size(); k++) {
            JsonNode n = input.get(k);
            if (n.isTextual()) {
                inputs.add(text(n.asText()));
            } else if (n.isObject() && "text".equals(n.path("type").asText()) && n.path("text").isTextual()) {
                inputs.add(text(n.get("text").asText()));
            } else if (n.isObject() && "image_url".equals(n.path("type").asText())
                    && n.path("image_url").path("url").isTextual()) {
                inputs.add(Input.image(n.get("image_url").get("url").asText()));
                images++;
            } else if (n.isNumber() || n.isArray()) {
                throw Problems.invalid("input[" + k + "]: token arrays are not supported; send text.");
            } else {
                throw Problems.invalid("input[" + k + "] must be a string, {\"type\":\"text\",\"text\":…} or "
                        + "{\"type\":\"image_url\",\"image_url\":{\"url\":…}}.");
            }
        }
        if (images > limits.maxImages()) {
            throw Problems.tooLarge("At most " + limits.maxImages() + " images per request; got " + images + ".");
        }
        return inputs;
    }

    private static Input text(String s) {
        if (s.isBlank()) {
            throw Problems.invalid("input texts must not be empty.");
        }
        return Input.text(s);
    }
}
