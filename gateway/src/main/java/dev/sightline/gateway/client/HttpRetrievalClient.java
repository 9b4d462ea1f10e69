package dev.sightline.gateway.client;

import dev.sightline.gateway.client.BackendCall.Effect;
import dev.sightline.gateway.config.GatewayConfig;
import io.smallrye.mutiny.Uni;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpMethod;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import jakarta.enterprise.context.ApplicationScoped;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Map;

/**
 * {@link RetrievalClient} over HTTP: the only place retrieval-service's paths appear. Reads and searches are repeated
 * after any infrastructure failure, changes only when they never reached the service.
 */
@ApplicationScoped
public class HttpRetrievalClient implements RetrievalClient {

    /** The media type of bulk writes: one JSON item per line. */
    private static final String NDJSON = "application/x-ndjson";

    private final BackendCall backend;
    private final Duration bulkTimeout;

    public HttpRetrievalClient(BackendHttp http, GatewayConfig config) {
        this.backend = http.backend("retrieval-service", config.retrieval());
        this.bulkTimeout = config.retrieval().bulkTimeout();
    }

    private static String collectionPath(String name) {
        return "/collections/" + enc(name);
    }

    private static String itemPath(String collection, String id) {
        return collectionPath(collection) + "/items/" + enc(id);
    }

    private static String policyPath(String name) {
        return "/moderation/policies/" + enc(name);
    }

    private static String classifierPath(String name) {
        return "/classifiers/" + enc(name);
    }

    /**
     * A path segment: form encoding writes a space as '+', which a path keeps as a plus, so "a b" would name the item
     * "a+b" (a valid id); a space is written %20 instead.
     */
    private static String enc(String s) {
        return URLEncoder.encode(s, StandardCharsets.UTF_8).replace("+", "%20");
    }

    @Override
    public Uni<BackendReply> createCollection(String tenant, String name, int dimension, String model,
            String precision, Integer hnswM, Integer hnswEfConstruction, String media, String moderation) {
        JsonObject body = new JsonObject().put("dimension", dimension).put("model", model);
        if (moderation != null) {
            body.put("moderation", moderation);
        }
        if (precision != null) {
            body.put("precision", precision);
        }
        if (media != null) {
            body.put("media", media);
        }
        if (hnswM != null || hnswEfConstruction != null) {
            JsonObject hnsw = new JsonObject();
            if (hnswM != null) {
                hnsw.put("m", hnswM);
            }
            if (hnswEfConstruction != null) {
                hnsw.put("ef_construction", hnswEfConstruction);
            }
            body.put("hnsw", hnsw);
        }
        return backend.call(HttpMethod.PUT, collectionPath(name), tenant, body, Effect.WRITE);
    }

    @Override
    public Uni<JsonObject> collections(String tenant) {
        return backend.call(HttpMethod.GET, "/collections", tenant, null, Effect.READ).map(BackendReply::json);
    }

    @Override
    public Uni<JsonObject> patchCollection(String tenant, String name, JsonObject patch) {
        return backend.call(HttpMethod.PATCH, collectionPath(name), tenant, patch, Effect.WRITE)
                .map(BackendReply::json);
    }

    @Override
    public Uni<JsonObject> collection(String tenant, String name) {
        return backend.call(HttpMethod.GET, collectionPath(name), tenant, null, Effect.READ).map(BackendReply::json);
    }

    @Override
    public Uni<Void> deleteCollection(String tenant, String name) {
        return backend.call(HttpMethod.DELETE, collectionPath(name), tenant, null, Effect.WRITE).replaceWithVoid();
    }

    @Override
    public Uni<JsonObject> upsert(String tenant, String collection, JsonArray items, String model,
            JsonObject dedup) {
        JsonObject body = new JsonObject().put("items", items);
        if (model != null) {
            body.put("model", model);
        }
        if (dedup != null) {
            body.mergeIn(dedup);
        }
        return backend.call(HttpMethod.POST, collectionPath(collection) + "/items", tenant, body, Effect.WRITE)
                .map(BackendReply::json);
    }

    @Override
    public Uni<JsonObject> items(String tenant, String collection, String after, String limit) {
        StringBuilder path = new StringBuilder(collectionPath(collection)).append("/items");
        char sep = '?';
        if (after != null) {
            path.append(sep).append("after=").append(enc(after));
            sep = '&';
        }
        if (limit != null) {
            path.append(sep).append("limit=").append(enc(limit));
        }
        return backend.call(HttpMethod.GET, path.toString(), tenant, null, Effect.READ).map(BackendReply::json);
    }

    @Override
    public Uni<BackendReply> startMigration(String tenant, String collection, String model, int dimension) {
        return backend.call(HttpMethod.POST, collectionPath(collection) + "/migrations", tenant,
                new JsonObject().put("model", model).put("dimension", dimension), Effect.WRITE);
    }

    @Override
    public Uni<JsonObject> migration(String tenant, String collection, String id) {
        return backend.call(HttpMethod.GET, collectionPath(collection) + "/migrations/" + enc(id), tenant, null,
                Effect.READ).map(BackendReply::json);
    }

    @Override
    public Uni<JsonObject> cancelMigration(String tenant, String collection, String id) {
        return backend.call(HttpMethod.DELETE, collectionPath(collection) + "/migrations/" + enc(id), tenant, null,
                Effect.WRITE).map(BackendReply::json);
    }

    @Override
    public Uni<JsonObject> bulkUpsert(String tenant, String collection, Buffer ndjson, String judgedBy,
            boolean more) {
        String query = (judgedBy == null ? "" : "&judged_by=" + enc(judgedBy)) + (more ? "&more=true" : "");
        String path = collectionPath(collection) + "/items/bulk" + (query.isEmpty() ? "" : "?" + query.substring(1));
        return backend.call(HttpMethod.POST, path, tenant, ndjson, NDJSON,
                bulkTimeout, Effect.WRITE).map(BackendReply::json);
    }

    @Override
    public Uni<JsonObject> item(String tenant, String collection, String id, boolean withVector) {
        return backend.call(HttpMethod.GET, itemPath(collection, id) + (withVector ? "?include=vector" : ""), tenant,
                null, Effect.READ).map(BackendReply::json);
    }

    @Override
    public Uni<Void> deleteItem(String tenant, String collection, String id) {
        return backend.call(HttpMethod.DELETE, itemPath(collection, id), tenant, null, Effect.WRITE).replaceWithVoid();
    }

    @Override
    public Uni<BackendBytes> media(String tenant, String collection, String id, String kind, String ifNoneMatch) {
        return backend.fetch(itemPath(collection, id) + "/" + kind, tenant,
                ifNoneMatch == null ? Map.of() : Map.of("If-None-Match", ifNoneMatch));
    }

    @Override
    public Uni<JsonObject> search(String tenant, String collection, JsonObject search) {
        return backend.call(HttpMethod.POST, collectionPath(collection) + "/search", tenant, search, Effect.READ)
                .map(BackendReply::json);
    }

    @Override
    public Uni<JsonObject> duplicates(String tenant, String collection, JsonObject request) {
        // A scan of up to max-duplicate-scan items runs for seconds: the bulk write's timeout, and (as a write) not
        // sent again after a timeout while the first one still runs.
        return backend.call(HttpMethod.POST, collectionPath(collection) + "/duplicates", tenant,
                io.vertx.core.buffer.Buffer.buffer(request.encode()), "application/json", bulkTimeout, Effect.WRITE)
                .map(BackendReply::json);
    }

    @Override
    public Uni<JsonObject> policies(String tenant) {
        return backend.call(HttpMethod.GET, "/moderation/policies", tenant, null, Effect.READ).map(BackendReply::json);
    }

    @Override
    public Uni<BackendReply> savePolicy(String tenant, String name, JsonObject policy) {
        return backend.call(HttpMethod.PUT, policyPath(name), tenant, policy, Effect.WRITE);
    }

    @Override
    public Uni<JsonObject> policy(String tenant, String name, boolean withVectors) {
        return backend.call(HttpMethod.GET, policyPath(name) + (withVectors ? "?include=vectors" : ""), tenant, null,
                Effect.READ).map(BackendReply::json);
    }

    @Override
    public Uni<Void> deletePolicy(String tenant, String name) {
        return backend.call(HttpMethod.DELETE, policyPath(name), tenant, null, Effect.WRITE).replaceWithVoid();
    }

    @Override
    public Uni<JsonObject> classifiers(String tenant) {
        return backend.call(HttpMethod.GET, "/classifiers", tenant, null, Effect.READ).map(BackendReply::json);
    }

    @Override
    public Uni<BackendReply> saveClassifier(String tenant, String name, JsonObject classifier) {
        return backend.call(HttpMethod.PUT, classifierPath(name), tenant, classifier, Effect.WRITE);
    }

    @Override
    public Uni<JsonObject> classifier(String tenant, String name, boolean withVectors) {
        return backend.call(HttpMethod.GET, classifierPath(name) + (withVectors ? "?include=vectors" : ""), tenant,
                null, Effect.READ).map(BackendReply::json);
    }

    @Override
    public Uni<Void> deleteClassifier(String tenant, String name) {
        return backend.call(HttpMethod.DELETE, classifierPath(name), tenant, null, Effect.WRITE).replaceWithVoid();
    }
}
