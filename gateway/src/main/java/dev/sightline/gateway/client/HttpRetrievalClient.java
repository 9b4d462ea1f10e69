package dev.sightline.gateway.client;

import dev.sightline.gateway.config.GatewayConfig;
import io.smallrye.mutiny.Uni;
import io.vertx.core.http.HttpMethod;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import jakarta.enterprise.context.ApplicationScoped;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;

/** {@link RetrievalClient} over HTTP: the only place retrieval-service's paths appear. */
@ApplicationScoped
public class HttpRetrievalClient implements RetrievalClient {

    private final BackendCall backend;

    public HttpRetrievalClient(BackendHttp http, GatewayConfig config) {
        this.backend = http.backend("retrieval-service", config.retrieval());
    }

    private static String collectionPath(String name) {
        return "/collections/" + enc(name);
    }

    private static String itemPath(String collection, String id) {
        return collectionPath(collection) + "/items/" + enc(id);
    }

    private static String classifierPath(String name) {
        return "/classifiers/" + enc(name);
    }

    private static String enc(String s) {
        return URLEncoder.encode(s, StandardCharsets.UTF_8);
    }

    // PUT, GET and DELETE are idempotent and retried; upserts and searches are POSTs that are idempotent too.

    @Override
    public Uni<BackendReply> createCollection(String tenant, String name, int dimension, String model) {
        return backend.call(HttpMethod.PUT, collectionPath(name), tenant,
                new JsonObject().put("dimension", dimension).put("model", model), true);
    }

    @Override
    public Uni<JsonObject> collections(String tenant) {
        return backend.call(HttpMethod.GET, "/collections", tenant, null, true).map(BackendReply::json);
    }

    @Override
    public Uni<JsonObject> collection(String tenant, String name) {
        return backend.call(HttpMethod.GET, collectionPath(name), tenant, null, true).map(BackendReply::json);
    }

    @Override
    public Uni<Void> deleteCollection(String tenant, String name) {
        return backend.call(HttpMethod.DELETE, collectionPath(name), tenant, null, true).replaceWithVoid();
    }

    @Override
    public Uni<JsonObject> upsert(String tenant, String collection, JsonArray items) {
        return backend.call(HttpMethod.POST, collectionPath(collection) + "/items", tenant,
                new JsonObject().put("items", items), true).map(BackendReply::json);
    }

    @Override
    public Uni<JsonObject> item(String tenant, String collection, String id, boolean withVector) {
        return backend.call(HttpMethod.GET, itemPath(collection, id) + (withVector ? "?include=vector" : ""), tenant,
                null, true).map(BackendReply::json);
    }

    @Override
    public Uni<Void> deleteItem(String tenant, String collection, String id) {
        return backend.call(HttpMethod.DELETE, itemPath(collection, id), tenant, null, true).replaceWithVoid();
    }

    @Override
    public Uni<JsonObject> search(String tenant, String collection, JsonObject search) {
        return backend.call(HttpMethod.POST, collectionPath(collection) + "/search", tenant, search, true)
                .map(BackendReply::json);
    }

    @Override
    public Uni<BackendReply> saveClassifier(String tenant, String name, JsonObject classifier) {
        return backend.call(HttpMethod.PUT, classifierPath(name), tenant, classifier, true);
    }

    @Override
    public Uni<JsonObject> classifier(String tenant, String name, boolean withVectors) {
        return backend.call(HttpMethod.GET, classifierPath(name) + (withVectors ? "?include=vectors" : ""), tenant,
                null, true).map(BackendReply::json);
    }

    @Override
    public Uni<Void> deleteClassifier(String tenant, String name) {
        return backend.call(HttpMethod.DELETE, classifierPath(name), tenant, null, true).replaceWithVoid();
    }
}
