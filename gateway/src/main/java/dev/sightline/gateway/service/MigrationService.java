package dev.sightline.gateway.service;

import dev.sightline.common.naming.Names;
import dev.sightline.gateway.client.BackendReply;
import dev.sightline.gateway.client.EmbedClient;
import dev.sightline.gateway.client.RetrievalClient;
import io.smallrye.mutiny.Uni;
import io.vertx.core.json.JsonObject;
import jakarta.enterprise.context.ApplicationScoped;

/**
 * Moving a collection to another served model: the job runs in retrieval-service (durable, in PostgreSQL) and
 * embeds again with embed-service; here the model is checked and its dimension found.
 */
@ApplicationScoped
public class MigrationService {

    /** {@code POST /v1/collections/{name}/migrations}. */
    public record StartMigration(String model) {
    }

    private final EmbedClient embed;
    private final RetrievalClient retrieval;

    public MigrationService(EmbedClient embed, RetrievalClient retrieval) {
        this.embed = embed;
        this.retrieval = retrieval;
    }

    /** 202 with the job; 404 for a model not served, 409 from retrieval-service for what cannot move. */
    public Uni<BackendReply> start(String tenant, String collection, StartMigration req) {
        checkName(collection);
        if (req.model() == null || req.model().isBlank()) {
            throw Problems.invalid("model is required: the id of a served model (GET /v1/models).");
        }
        return embed.model(req.model()).flatMap(m -> retrieval.startMigration(tenant, collection, m.id(),
                m.dimensions()));
    }

    public Uni<JsonObject> get(String tenant, String collection, String id) {
        checkName(collection);
        return retrieval.migration(tenant, collection, id);
    }

    public Uni<JsonObject> cancel(String tenant, String collection, String id) {
        checkName(collection);
        return retrieval.cancelMigration(tenant, collection, id);
    }

    private static void checkName(String collection) {
        if (!Names.isName(collection)) {
            throw Problems.invalid("Collection names must match " + Names.NAME.pattern() + ".");
        }
    }
}
