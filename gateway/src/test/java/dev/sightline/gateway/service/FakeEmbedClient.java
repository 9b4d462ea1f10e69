package dev.sightline.gateway.service;

import dev.sightline.gateway.client.BackendProblem;
import dev.sightline.gateway.client.EmbedClient;
import dev.sightline.gateway.client.Embeddings;
import dev.sightline.gateway.client.LabelEmbeddings;
import dev.sightline.gateway.client.ModelInfo;
import io.smallrye.mutiny.Uni;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.util.ArrayList;
import java.util.Base64;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * embed-service stand-in for the service tests: a text's "vector" is ["text", TEXT] and an image's
 * ["image", DATA] unless a real vector is set, so that tests can see exactly which vector went where; a real vector
 * asked for as base64 is answered as embed-service would. A value in {@code refusals} fails its call as embed-service does, naming the
 * value's position in the call ("Image 1: …").
 */
final class FakeEmbedClient implements EmbedClient {

    static final ModelInfo MODEL = new ModelInfo("fake/clip", 2, 100f, List.of("text", "image"));
    /** A second served model: embeddings by it are answered as the default's, and recorded in {@code models}. */
    static final ModelInfo OTHER = new ModelInfo("fake/clip-small", 3, 50f, List.of("text", "image"));

    final List<List<String>> textBatches = new ArrayList<>();
    final List<List<String>> imageBatches = new ArrayList<>();
    final List<String> encodings = new ArrayList<>();
    final Map<String, float[]> vectors = new HashMap<>();
    final Map<String, String> refusals = new HashMap<>();
    /** The model each embedding call named (null: the default), in call order. */
    final List<String> models = new ArrayList<>();
    JsonObject lastClassify;

    @Override
    public Uni<Embeddings> embedTexts(List<String> texts, String encoding, String model) {
        if (!texts.isEmpty()) {
            models.add(model);
        }
        return batch(texts, encoding, "text", textBatches, texts.stream().mapToInt(String::length).sum());
    }

    @Override
    public Uni<Embeddings> embedImages(List<String> images, String encoding, boolean sources, boolean thumbnails,
            String model) {
        if (!images.isEmpty()) {
            models.add(model);
        }
        return batch(images, encoding, "image", imageBatches, 0);
    }

    private Uni<Embeddings> batch(List<String> values, String encoding, String kind, List<List<String>> log, int tokens) {
        if (values.isEmpty()) {
            return Uni.createFrom().item(Embeddings.NONE);
        }
        log.add(List.copyOf(values));
        encodings.add(encoding);
        JsonArray out = new JsonArray();
        for (int k = 0; k < values.size(); k++) {
            String v = values.get(k);
            if (refusals.containsKey(v)) {
                String detail = (kind.equals("text") ? "Text " : "Image ") + k + refusals.get(v);
                return Uni.createFrom().failure(new BackendProblem(400, new JsonObject().put("status", 400)
                        .put("detail", detail).toBuffer(), null));
            }
            float[] real = vectors.get(v);
            if ("base64".equals(encoding) && real != null) {
                ByteBuffer bytes = ByteBuffer.allocate(real.length * 4).order(ByteOrder.LITTLE_ENDIAN);
                bytes.asFloatBuffer().put(real);
                out.add(Base64.getEncoder().encodeToString(bytes.array()));
            } else if (real == null) {
                out.add(new JsonArray().add(kind).add(v));
            } else {
                JsonArray a = new JsonArray();
                for (float f : real) {
                    a.add(f);
                }
                out.add(a);
            }
        }
        return Uni.createFrom().item(new Embeddings(out, tokens));
    }

    @Override
    public Uni<JsonObject> classify(JsonObject request) {
        lastClassify = request;
        return Uni.createFrom().item(new JsonObject().put("model", MODEL.id()));
    }

    @Override
    public Uni<LabelEmbeddings> labelEmbeddings(List<String> labels, List<String> templates, String model) {
        JsonArray vs = new JsonArray();
        for (int i = 0; i < labels.size(); i++) {
            vs.add(new JsonArray().add((float) i).add(1f));
        }
        return Uni.createFrom().item(new LabelEmbeddings(model == null ? MODEL.id() : model,
                new JsonArray(templates == null ? List.of("a photo of a {}.") : templates), vs));
    }

    @Override
    public Uni<List<ModelInfo>> models() {
        return Uni.createFrom().item(List.of(MODEL, OTHER));
    }

    int batches() {
        return textBatches.size() + imageBatches.size();
    }
}
