package dev.sightline.gateway.client;

import io.smallrye.mutiny.Uni;
import io.vertx.core.json.JsonObject;
import java.util.List;

/** embed-service, as the gateway's services use it. */
public interface EmbedClient {

    /** Embeds texts; {@code encoding} is "float", "base64" or null for the service's default (float). */
    Uni<Embeddings> embedTexts(List<String> texts, String encoding);

    /** Embeds images (base64 or data URIs). */
    default Uni<Embeddings> embedImages(List<String> images, String encoding) {
        return embedImages(images, encoding, false, false);
    }

    /**
     * Embeds images, with each one's format and SHA-256 when {@code sources} and its JPEG thumbnail when
     * {@code thumbnails}.
     */
    Uni<Embeddings> embedImages(List<String> images, String encoding, boolean sources, boolean thumbnails);

    /** Zero-shot classification of one image: the body as the public API takes it, the answer as it gives it. */
    Uni<JsonObject> classify(JsonObject request);

    /** Validates labels and templates and embeds each label with prompt ensembling. */
    Uni<LabelEmbeddings> labelEmbeddings(List<String> labels, List<String> templates);

    /** The served model (cached briefly). */
    Uni<ModelInfo> model();
}
