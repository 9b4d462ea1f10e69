package dev.sightline.gateway.service;

import dev.sightline.gateway.client.BackendBytes;
import dev.sightline.gateway.client.BackendProblem;
import dev.sightline.gateway.client.BackendReply;
import dev.sightline.gateway.client.RetrievalClient;
import io.smallrye.mutiny.Uni;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.util.HashMap;
import java.util.HashSet;
import java.util.Map;
import java.util.Set;

/**
 * retrieval-service stand-in: collections (all of dimension 2) and classifiers per tenant in memory; records what
 * it was sent.
 */
final class FakeRetrievalClient implements RetrievalClient {

    final Set<String> collections = new HashSet<>();
    final Map<String, JsonObject> classifiers = new HashMap<>();
    /** Each collection's model, "tenant/name" → id (absent: none named, the default's). */
    final Map<String, String> models = new HashMap<>();
    /** The model the last upsert's vectors were from, as sent. */
    String lastUpsertModel;
    /** "tenant/collection model dimension" of the last migration started. */
    String lastMigration;
    JsonArray lastUpsert;
    Buffer lastBulk;
    boolean lastBulkMore;
    BackendProblem bulkProblem;
    JsonObject lastSearch;
    String lastCreate;

    void addCollection(String tenant, String name) {
        collections.add(tenant + "/" + name);
    }

    private static <T> Uni<T> notFound(String what) {
        return Uni.createFrom().failure(new BackendProblem(404, Buffer.buffer("{\"detail\":\"" + what + "\"}"), null));
    }

    @Override
    public Uni<BackendReply> createCollection(String tenant, String name, int dimension, String model,
            String precision, Integer hnswM, Integer hnswEfConstruction, String media, String moderation) {
        lastCreate = tenant + "/" + name + " " + dimension + " " + model + " " + precision
                + (hnswM == null && hnswEfConstruction == null ? "" : " hnsw " + hnswM + "/" + hnswEfConstruction)
                + (media == null ? "" : " media " + media) + (moderation == null ? "" : " moderation " + moderation);
        addCollection(tenant, name);
        models.put(tenant + "/" + name, model);
        return Uni.createFrom().item(new BackendReply(201, new JsonObject().put("name", name)));
    }

    @Override
    public Uni<JsonObject> collections(String tenant) {
        return Uni.createFrom().item(new JsonObject());
    }

    @Override
    public Uni<JsonObject> collection(String tenant, String name) {
        return collections.contains(tenant + "/" + name)
                ? Uni.createFrom().item(new JsonObject().put("name", name).put("dimension", 2)
                        .put("model", models.get(tenant + "/" + name)))
                : notFound("Collection " + name + " does not exist.");
    }

    @Override
    public Uni<Void> deleteCollection(String tenant, String name) {
        return Uni.createFrom().voidItem();
    }

    @Override
    public Uni<JsonObject> upsert(String tenant, String collection, JsonArray items, String model,
            JsonObject dedup) {
        lastUpsert = items;
        lastUpsertModel = model;
        return Uni.createFrom().item(new JsonObject().put("upserted", items.size()));
    }

    @Override
    public Uni<JsonObject> items(String tenant, String collection, String after, String limit) {
        return Uni.createFrom().item(new JsonObject().put("items", new JsonArray()).putNull("next_after"));
    }

    // Migrations run in retrieval-service; the gateway's share is tested end to end (MigrationE2ETest).
    @Override
    public Uni<BackendReply> startMigration(String tenant, String collection, String model, int dimension) {
        lastMigration = tenant + "/" + collection + " " + model + " " + dimension;
        return Uni.createFrom().item(new BackendReply(202, new JsonObject().put("state", "queued")));
    }

    @Override
    public Uni<JsonObject> migration(String tenant, String collection, String id) {
        return notFound("Migration " + id + " does not exist.");
    }

    @Override
    public Uni<JsonObject> cancelMigration(String tenant, String collection, String id) {
        return notFound("Migration " + id + " does not exist.");
    }

    @Override
    public Uni<JsonObject> bulkUpsert(String tenant, String collection, Buffer ndjson, String judgedBy,
            boolean more) {
        lastBulk = ndjson;
        lastBulkMore = more;
        if (bulkProblem != null) {
            return Uni.createFrom().failure(bulkProblem);
        }
        return Uni.createFrom().item(new JsonObject().put("collection", collection)
                .put("upserted", ndjson.toString().split("\n").length).put("stale", new JsonArray()));
    }

    @Override
    public Uni<JsonObject> item(String tenant, String collection, String id, boolean withVector) {
        return Uni.createFrom().item(new JsonObject().put("id", id).put("with_vector", withVector));
    }

    @Override
    public Uni<Void> deleteItem(String tenant, String collection, String id) {
        return Uni.createFrom().voidItem();
    }

    @Override
    public Uni<BackendBytes> media(String tenant, String collection, String id, String kind, String ifNoneMatch) {
        return notFound("Item " + id + " does not exist.");
    }

    @Override
    public Uni<JsonObject> search(String tenant, String collection, JsonObject search) {
        lastSearch = search;
        return Uni.createFrom().item(new JsonObject().put("results", new JsonArray()));
    }

    @Override
    public Uni<JsonObject> classifiers(String tenant) {
        JsonArray list = new JsonArray();
        classifiers.entrySet().stream().filter(e -> e.getKey().startsWith(tenant + "/"))
                .sorted(Map.Entry.comparingByKey()).forEach(e -> list.add(e.getValue().copy()));
        return Uni.createFrom().item(new JsonObject().put("classifiers", list));
    }

    @Override
    public Uni<BackendReply> saveClassifier(String tenant, String name, JsonObject classifier) {
        boolean created = classifiers.put(tenant + "/" + name, classifier.copy().put("name", name)
                .put("created_at", "2026-11-27T00:00:00Z")) == null;
        return Uni.createFrom().item(new BackendReply(created ? 201 : 200, classifiers.get(tenant + "/" + name)));
    }

    @Override
    public Uni<JsonObject> classifier(String tenant, String name, boolean withVectors) {
        JsonObject c = classifiers.get(tenant + "/" + name);
        if (c == null) {
            return notFound("Classifier " + name + " does not exist.");
        }
        JsonObject view = c.copy();
        if (!withVectors) {
            view.remove("label_vectors");
        }
        return Uni.createFrom().item(view);
    }

    @Override
    public Uni<Void> deleteClassifier(String tenant, String name) {
        return Uni.createFrom().voidItem();
    }

    // Moderation and near-duplicates are tested against the real retrieval-service (ModerationE2ETest,
    // DuplicatesE2ETest); these services' unit tests do not reach them.
    @Override
    public Uni<JsonObject> patchCollection(String tenant, String name, JsonObject patch) {
        throw new UnsupportedOperationException();
    }

    @Override
    public Uni<JsonObject> duplicates(String tenant, String collection, JsonObject request) {
        throw new UnsupportedOperationException();
    }

    @Override
    public Uni<JsonObject> policies(String tenant) {
        throw new UnsupportedOperationException();
    }

    @Override
    public Uni<BackendReply> savePolicy(String tenant, String name, JsonObject policy) {
        throw new UnsupportedOperationException();
    }

    @Override
    public Uni<JsonObject> policy(String tenant, String name, boolean withVectors) {
        throw new UnsupportedOperationException();
    }

    @Override
    public Uni<Void> deletePolicy(String tenant, String name) {
        throw new UnsupportedOperationException();
    }
}
