package dev.sightline.gateway.service;

import dev.sightline.common.problem.CommonProblem;
import dev.sightline.gateway.client.BackendProblem;
import com.fasterxml.jackson.databind.JsonNode;
import dev.sightline.gateway.client.RetrievalClient;
import io.smallrye.mutiny.Uni;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import jakarta.enterprise.context.ApplicationScoped;

/** Searching a collection by text, image, stored item or vector; the query is embedded here when needed. */
@ApplicationScoped
public class SearchService {

    /** Exactly one of the four. */
    public record Query(String text, String image, String itemId, float[] vector) {
    }

    /**
     * {@code POST /v1/collections/{name}/search}; {@code mode} vector (default), keyword (the query's text as
     * keywords, nothing embedded) or hybrid (the text embedded and as keywords, rankings fused).
     */
    public record Search(Query query, String modality, Integer topK, JsonNode filter, Double minScore,
            Integer efSearch, String mode) {
    }

    /** {@code POST /v1/collections/{name}/text-to-image}. */
    public record TextToImage(String text, Integer topK, JsonNode filter, Double minScore) {
    }

    /** {@code POST /v1/collections/{name}/image-to-text}. */
    public record ImageToText(String image, Integer topK, JsonNode filter, Double minScore) {
    }

    private final RetrievalClient retrieval;
    private final Embedder embedder;

    private final CollectionModels models;

    public SearchService(RetrievalClient retrieval, Embedder embedder, CollectionModels models) {
        this.retrieval = retrieval;
        this.embedder = embedder;
        this.models = models;
    }

    /**
     * Searches with the query embedded by the collection's own model, read for every query: once a collection has
     * moved to another model no later query is embedded with the old one. A query embedded just before a migration
     * switched the collection is refused by retrieval-service (409 {@code model-changed}) and embedded again with
     * the new model, once: no search fails because of a switch, and a client's answers change model once. The
     * answer names the model.
     */
    private Uni<JsonObject> searchEmbedded(String tenant, String collection, Input input, JsonObject body) {
        return embeddedOnce(tenant, collection, input, body).onFailure(BackendProblem.class).recoverWithUni(e ->
                ((BackendProblem) e).is(CommonProblem.MODEL_CHANGED) ? embeddedOnce(tenant, collection, input, body)
                        : Uni.createFrom().failure(e));
    }

    private Uni<JsonObject> embeddedOnce(String tenant, String collection, Input input, JsonObject body) {
        return retrieval.collection(tenant, collection).flatMap(c -> models.of(collection, c))
                .flatMap(model -> embedder.vectorOf(input, model).flatMap(v -> send(tenant, collection,
                        body.copy().put("vector", v).put("model", model))
                        .map(answer -> model == null ? answer : answer.put("model", model))));
    }

    public Uni<JsonObject> search(String tenant, String collection, Search req) {
        Query q = req.query();
        if (q == null) {
            throw Problems.invalid("query is required.");
        }
        int given = (q.text() != null ? 1 : 0) + (q.image() != null ? 1 : 0) + (q.itemId() != null ? 1 : 0)
                + (q.vector() != null ? 1 : 0);
        if (given != 1) {
            throw Problems.invalid("query needs exactly one of text, image, item_id and vector.");
        }
        JsonObject body = options(req.topK(), req.filter(), req.minScore()).put("modality", req.modality())
                .put("ef_search", req.efSearch());
        String mode = req.mode() == null ? "vector" : req.mode();
        switch (mode) {
            case "vector" -> { }
            case "keyword", "hybrid" -> {
                if (q.text() == null) {
                    throw Problems.invalid("mode " + mode + " searches by text: give query.text.");
                }
                body.put("mode", mode).put("keywords", q.text());
                if (mode.equals("keyword")) {
                    // Nothing to embed: the words are matched as they are.
                    return send(tenant, collection, body);
                }
            }
            default -> throw Problems.invalid("mode must be vector, keyword or hybrid.");
        }
        if (q.itemId() != null) {
            return send(tenant, collection, body.put("item_id", q.itemId()));
        }
        if (q.vector() != null) {
            JsonArray v = new JsonArray();
            for (float f : q.vector()) {
                v.add(f);
            }
            return send(tenant, collection, body.put("vector", v));
        }
        return searchEmbedded(tenant, collection, new Input(q.text(), q.image()), body);
    }

    public Uni<JsonObject> textToImage(String tenant, String collection, TextToImage req) {
        if (req.text() == null) {
            throw Problems.invalid("text is required.");
        }
        JsonObject body = options(req.topK(), req.filter(), req.minScore()).put("modality", "image");
        return searchEmbedded(tenant, collection, Input.text(req.text()), body);
    }

    public Uni<JsonObject> imageToText(String tenant, String collection, ImageToText req) {
        if (req.image() == null) {
            throw Problems.invalid("image is required.");
        }
        JsonObject body = options(req.topK(), req.filter(), req.minScore()).put("modality", "text");
        return searchEmbedded(tenant, collection, Input.image(req.image()), body);
    }

    private static JsonObject options(Integer topK, JsonNode filter, Double minScore) {
        return new JsonObject().put("top_k", topK).put("min_score", minScore)
                .put("filter", Json.object(filter, "filter"));
    }

    private Uni<JsonObject> send(String tenant, String collection, JsonObject body) {
        // Absent options are left out rather than sent as nulls.
        body.getMap().values().removeIf(v -> v == null);
        return retrieval.search(tenant, collection, body).map(answer -> withThumbnailUrls(collection, answer));
    }

    /**
     * Each result whose item keeps a thumbnail gets its URL (retrieval-service says which do). Item ids and
     * collection names use only characters that a path segment takes as they are.
     */
    static JsonObject withThumbnailUrls(String collection, JsonObject answer) {
        JsonArray results = answer.getJsonArray("results");
        if (results == null) {
            return answer;
        }
        for (int i = 0; i < results.size(); i++) {
            JsonObject hit = results.getJsonObject(i);
            if (Boolean.TRUE.equals(hit.remove("thumbnail"))) {
                hit.put("thumbnail_url", "/v1/collections/" + collection + "/items/" + hit.getString("id")
                        + "/thumbnail");
            }
        }
        return answer;
    }
}
