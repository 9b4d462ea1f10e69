package dev.sightline.gateway.client;

import io.smallrye.mutiny.Uni;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;

/** retrieval-service, as the gateway's services use it; every call is on behalf of one tenant. */
public interface RetrievalClient {

    /**
     * Creates a collection, or confirms an identical one (status 201 or 200); {@code precision} "float32" or
     * "float16", null for retrieval-service's default (float32); {@code media} "none", "thumbnail" or "original",
     * null for its default (thumbnail); {@code moderation} the name of the tenant's policy its ingest applies, or
     * null.
     */
    Uni<BackendReply> createCollection(String tenant, String name, int dimension, String model, String precision,
            Integer hnswM, Integer hnswEfConstruction, String media, String moderation);

    Uni<JsonObject> collections(String tenant);

    /** Changes what a collection allows to change ({@code {"moderation": name | null}}); the collection. */
    Uni<JsonObject> patchCollection(String tenant, String name, JsonObject patch);

    Uni<JsonObject> collection(String tenant, String name);

    Uni<Void> deleteCollection(String tenant, String name);

    /** Stores items (id, modality, vector, text, metadata) atomically; idempotent by id. */
    default Uni<JsonObject> upsert(String tenant, String collection, JsonArray items) {
        return upsert(tenant, collection, items, null, null);
    }

    /** The same, for vectors embedded by {@code model} (see below), without near-duplicate handling. */
    default Uni<JsonObject> upsert(String tenant, String collection, JsonArray items, String model) {
        return upsert(tenant, collection, items, model, null);
    }

    /**
     * The same, for vectors embedded by {@code model}: a collection that holds another model by now (a migration
     * switched it) refuses them with 409 {@code model-changed}; {@code dedup} is null or
     * {@code {"on_duplicate", "duplicate_threshold"?}}, and the answer then has each item's outcome.
     */
    Uni<JsonObject> upsert(String tenant, String collection, JsonArray items, String model, JsonObject dedup);

    /** The groups of near-duplicates ({@code {"threshold"?, "modality"?}}) of a collection. */
    Uni<JsonObject> duplicates(String tenant, String collection, JsonObject request);

    /** The tenant's moderation policies ({@code {"policies": [...]}}, by name, without vectors). */
    Uni<JsonObject> policies(String tenant);

    /** Stores a moderation policy (model, categories, prompt vectors); status 201 or 200. */
    Uni<BackendReply> savePolicy(String tenant, String name, JsonObject policy);

    Uni<JsonObject> policy(String tenant, String name, boolean withVectors);

    Uni<Void> deletePolicy(String tenant, String name);

    /** A page of the collection's items in id order ({@code after}, {@code limit}: as given, null when absent). */
    Uni<JsonObject> items(String tenant, String collection, String after, String limit);

    /** Starts re-embedding the collection with {@code model} ({@code dimension}); status 202 with the job. */
    Uni<BackendReply> startMigration(String tenant, String collection, String model, int dimension);

    /** A migration of the collection. */
    Uni<JsonObject> migration(String tenant, String collection, String id);

    /** Cancels a queued or running migration; the job as it ends. */
    Uni<JsonObject> cancelMigration(String tenant, String collection, String id);

    /**
     * Stores many items atomically from NDJSON, one {@code {id, vector, modality, text?, metadata?, version}} per
     * line; problems name the line. The answer is the upsert's. {@code judgedBy}: the moderation policy the items
     * were judged by ("" for none, null: not judged); a collection applying another one now answers 409
     * {@code moderation-changed}. {@code more}: more requests of the same load follow.
     */
    Uni<JsonObject> bulkUpsert(String tenant, String collection, Buffer ndjson, String judgedBy, boolean more);

    Uni<JsonObject> item(String tenant, String collection, String id, boolean withVector);

    Uni<Void> deleteItem(String tenant, String collection, String id);

    /**
     * An item's kept {@code kind} ("thumbnail" or "original"): 200 with its bytes, or 304 when {@code ifNoneMatch}
     * (the client's If-None-Match, or null) names it.
     */
    Uni<BackendBytes> media(String tenant, String collection, String id, String kind, String ifNoneMatch);

    /** Nearest items to a vector or a stored item, with the options of the search body. */
    Uni<JsonObject> search(String tenant, String collection, JsonObject search);

    /** The tenant's classifiers ({@code {"classifiers": [...]}}, by name, without label vectors). */
    Uni<JsonObject> classifiers(String tenant);

    /** Stores a classifier (model, labels, templates, label vectors); status 201 or 200. */
    Uni<BackendReply> saveClassifier(String tenant, String name, JsonObject classifier);

    Uni<JsonObject> classifier(String tenant, String name, boolean withVectors);

    Uni<Void> deleteClassifier(String tenant, String name);
}
