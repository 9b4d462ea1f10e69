package dev.sightline.gateway.client;

import dev.sightline.common.problem.CommonProblem;
import dev.sightline.common.problem.ProblemException;
import io.smallrye.mutiny.Uni;
import io.vertx.core.json.JsonObject;
import java.util.List;

/** embed-service, as the gateway's services use it. */
public interface EmbedClient {

    /**
     * Embeds texts with the model of that id ({@code null}: the default model); {@code encoding} is "float",
     * "base64" or null for the service's default (float).
     */
    Uni<Embeddings> embedTexts(List<String> texts, String encoding, String model);

    /** Embeds images (base64 or data URIs). */
    default Uni<Embeddings> embedImages(List<String> images, String encoding, String model) {
        return embedImages(images, encoding, false, false, model);
    }

    /**
     * Embeds images, with each one's format and SHA-256 when {@code sources} and its JPEG thumbnail when
     * {@code thumbnails}.
     */
    Uni<Embeddings> embedImages(List<String> images, String encoding, boolean sources, boolean thumbnails,
            String model);

    /** Zero-shot classification of one image: the body as the public API takes it, the answer as it gives it. */
    Uni<JsonObject> classify(JsonObject request);

    /** Validates labels and templates and embeds each label with prompt ensembling, with that model. */
    Uni<LabelEmbeddings> labelEmbeddings(List<String> labels, List<String> templates, String model);

    /** The served models, the default first (cached briefly). */
    Uni<List<ModelInfo>> models();

    /** The default model. */
    default Uni<ModelInfo> model() {
        return models().map(all -> all.get(0));
    }

    /** The served model of that id ({@code null}: the default); a 404 problem when it is not served. */
    default Uni<ModelInfo> model(String id) {
        return models().map(all -> {
            if (id == null) {
                return all.get(0);
            }
            return all.stream().filter(m -> m.id().equals(id)).findFirst().orElseThrow(() -> new ProblemException(
                    CommonProblem.NOT_FOUND, "The model " + id + " is not served; GET /v1/models lists the served "
                            + "ones (" + String.join(", ", all.stream().map(ModelInfo::id).toList()) + ")."));
        });
    }
}
