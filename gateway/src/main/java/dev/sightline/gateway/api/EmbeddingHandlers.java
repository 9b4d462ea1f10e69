package dev.sightline.gateway.api;

import dev.sightline.gateway.service.EmbeddingService;
import dev.sightline.gateway.service.EmbeddingService.EmbeddingsRequest;
import io.vertx.ext.web.Router;
import jakarta.enterprise.context.ApplicationScoped;

/** OpenAI-compatible {@code /v1/models} and {@code /v1/embeddings}. */
@ApplicationScoped
public class EmbeddingHandlers {

    private final EmbeddingService embeddings;

    public EmbeddingHandlers(EmbeddingService embeddings) {
        this.embeddings = embeddings;
    }

    void register(Router r) {
        r.get("/v1/models").handler(rc -> Http.ok(rc, embeddings::models));
        // OpenAI clients add fields of their own: read leniently. Embedding is the same for every tenant.
        r.post("/v1/embeddings").handler(rc -> Http.ok(rc, () -> embeddings.embeddings(
                Http.body(rc, EmbeddingsRequest.class, Http.LENIENT))));
    }
}
