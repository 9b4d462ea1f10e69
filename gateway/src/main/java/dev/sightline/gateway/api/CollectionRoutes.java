package dev.sightline.gateway.api;

import com.fasterxml.jackson.databind.JsonNode;
import dev.sightline.gateway.ErrorCode;
import dev.sightline.gateway.GatewayException;
import dev.sightline.gateway.api.Http.Reply;
import dev.sightline.gateway.client.Backends;
import dev.sightline.gateway.client.Downstream;
import dev.sightline.gateway.config.GatewayConfig;
import io.smallrye.mutiny.Uni;
import io.vertx.core.http.HttpMethod;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.FileUpload;
import io.vertx.ext.web.Router;
import io.vertx.ext.web.RoutingContext;
import io.vertx.mutiny.core.Vertx;
import jakarta.enterprise.context.ApplicationScoped;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.regex.Pattern;

/** Collections, items (embedded here, stored by retrieval-service) and search. */
@ApplicationScoped
public class CollectionRoutes {

    private static final Pattern NAME = Pattern.compile("[a-z0-9][a-z0-9_-]{0,62}");

    record CreateCollection(String name, Integer dimension, String model) {
    }

    record ItemInput(String id, String text, String image, JsonNode metadata) {
    }

    record ItemsRequest(List<ItemInput> items) {
    }

    record Query(String text, String image, String itemId, float[] vector) {
    }

    record SearchRequest(Query query, String modality, Integer topK, JsonNode filter, Double minScore,
            Integer efSearch) {
    }

    record TextToImage(String text, Integer topK, JsonNode filter, Double minScore) {
    }

    record ImageToText(String image, Integer topK, JsonNode filter, Double minScore) {
    }

    private final Backends backends;
    private final ModelCatalog catalog;
    private final Vertx vertx;
    private final GatewayConfig.Limits limits;

    public CollectionRoutes(Backends backends, ModelCatalog catalog, Vertx vertx, GatewayConfig config) {
        this.backends = backends;
        this.catalog = catalog;
        this.vertx = vertx;
        this.limits = config.limits();
    }

    void register(Router r) {
        r.post("/v1/collections").handler(rc -> Http.handle(rc, this::create));
        r.get("/v1/collections").handler(rc -> Http.handle(rc, c -> forward(c, HttpMethod.GET, "/collections", null)));
        r.get("/v1/collections/:name").handler(rc -> Http.handle(rc, c -> forward(c, HttpMethod.GET, path(c), null)));
        r.delete("/v1/collections/:name").handler(rc -> Http.handle(rc, c -> forward(c, HttpMethod.DELETE, path(c), null)));
        r.post("/v1/collections/:name/items").handler(rc -> Http.handle(rc, this::upsert));
        r.get("/v1/collections/:name/items/:id").handler(rc -> Http.handle(rc, c -> forward(c, HttpMethod.GET,
                itemPath(c) + ("vector".equals(c.request().getParam("include")) ? "?include=vector" : ""), null)));
        r.delete("/v1/collections/:name/items/:id").handler(rc -> Http.handle(rc,
                c -> forward(c, HttpMethod.DELETE, itemPath(c), null)));
        r.post("/v1/collections/:name/search").handler(rc -> Http.handle(rc, this::search));
        r.post("/v1/collections/:name/text-to-image").handler(rc -> Http.handle(rc, this::textToImage));
        r.post("/v1/collections/:name/image-to-text").handler(rc -> Http.handle(rc, this::imageToText));
    }

    private Downstream retrieval() {
        return backends.retrieval();
    }

    private static String path(RoutingContext rc) {
        return "/collections/" + enc(rc.pathParam("name"));
    }

    private static String itemPath(RoutingContext rc) {
        return path(rc) + "/items/" + enc(rc.pathParam("id"));
    }

    private static String enc(String s) {
        return URLEncoder.encode(s, StandardCharsets.UTF_8);
    }

    private Uni<Reply> forward(RoutingContext rc, HttpMethod method, String path, JsonObject body) {
        boolean idempotent = method != HttpMethod.POST;
        return retrieval().call(method, path, GatewayRouter.tenant(rc), body, idempotent)
                .map(r -> new Reply(r.status(), r.json()));
    }

    private Uni<Reply> create(RoutingContext rc) {
        CreateCollection req = Http.body(rc, CreateCollection.class, Http.STRICT);
        if (req.name() == null || !NAME.matcher(req.name()).matches()) {
            throw Http.invalid("name is required and must match " + NAME.pattern() + ".");
        }
        return catalog.model().flatMap(m -> {
            JsonObject body = new JsonObject()
                    .put("dimension", req.dimension() == null ? m.getInteger("dimensions") : req.dimension())
                    .put("model", req.model() == null ? m.getString("id") : req.model());
            return forward(rc, HttpMethod.PUT, "/collections/" + req.name(), body);
        });
    }

    private Uni<Reply> upsert(RoutingContext rc) {
        String ct = rc.request().getHeader("Content-Type");
        if (ct != null && ct.toLowerCase().startsWith("multipart/form-data")) {
            return upsertFiles(rc);
        }
        ItemsRequest req = Http.body(rc, ItemsRequest.class, Http.STRICT);
        if (req.items() == null || req.items().isEmpty()) {
            throw Http.invalid("items must be a non-empty array.");
        }
        if (req.items().size() > limits.maxItems()) {
            throw new GatewayException(ErrorCode.PAYLOAD_TOO_LARGE,
                    "At most " + limits.maxItems() + " items per request; got " + req.items().size() + ".");
        }
        int images = 0;
        for (int i = 0; i < req.items().size(); i++) {
            ItemInput it = req.items().get(i);
            if (it == null || it.id() == null) {
                throw Http.invalid("items[" + i + "].id is required.");
            }
            if ((it.text() == null) == (it.image() == null)) {
                throw Http.invalid("items[" + i + "] needs exactly one of text and image.");
            }
            images += it.image() != null ? 1 : 0;
        }
        if (images > limits.maxImages()) {
            throw new GatewayException(ErrorCode.PAYLOAD_TOO_LARGE,
                    "At most " + limits.maxImages() + " images per request; got " + images + ".");
        }
        return store(rc, req.items());
    }

    private Uni<Reply> upsertFiles(RoutingContext rc) {
        List<FileUpload> files = rc.fileUploads().stream().filter(f -> f.name().equals("file")).toList();
        if (files.isEmpty()) {
            throw Http.invalid("Send one or more image files in parts named 'file'.");
        }
        if (files.size() > limits.maxImages()) {
            throw new GatewayException(ErrorCode.PAYLOAD_TOO_LARGE,
                    "At most " + limits.maxImages() + " images per request; got " + files.size() + ".");
        }
        JsonNode metadata;
        try {
            String m = rc.request().getFormAttribute("metadata");
            metadata = m == null ? null : Http.STRICT.readTree(m);
        } catch (java.io.IOException e) {
            throw Http.invalid("metadata must be a JSON object.");
        }
        if (metadata != null && !metadata.isObject()) {
            throw Http.invalid("metadata must be a JSON object.");
        }
        List<Uni<ItemInput>> reads = new ArrayList<>();
        for (FileUpload f : files) {
            String name = f.fileName() == null ? "" : f.fileName();
            String id = name.contains(".") ? name.substring(0, name.lastIndexOf('.')) : name;
            reads.add(vertx.fileSystem().readFile(f.uploadedFileName())
                    .map(b -> new ItemInput(id, null, Base64.getEncoder().encodeToString(b.getBytes()), metadata)));
        }
        return Uni.join().all(reads).andFailFast().flatMap(items -> store(rc, items));
    }

    /** Embeds the items' texts and images, then stores them in one atomic upsert. */
    private Uni<Reply> store(RoutingContext rc, List<ItemInput> items) {
        String tenant = GatewayRouter.tenant(rc);
        List<String> texts = new ArrayList<>();
        List<String> images = new ArrayList<>();
        for (ItemInput it : items) {
            if (it.text() != null) {
                texts.add(it.text());
            } else {
                images.add(it.image());
            }
        }
        // Fail early (404) for an unknown collection, before spending inference on it.
        return retrieval().call(HttpMethod.GET, path(rc), tenant, null, true).flatMap(col -> {
            Uni<JsonArray> te = embed("/embed/text", "texts", texts);
            Uni<JsonArray> ie = embed("/embed/image", "images", images);
            return Uni.combine().all().unis(te, ie).asTuple();
        }).flatMap(vectors -> {
            JsonArray out = new JsonArray();
            int t = 0;
            int i = 0;
            for (ItemInput it : items) {
                JsonObject o = new JsonObject().put("id", it.id());
                if (it.text() != null) {
                    o.put("modality", "text").put("text", it.text()).put("vector", vectors.getItem1().getValue(t++));
                } else {
                    o.put("modality", "image").put("vector", vectors.getItem2().getValue(i++));
                }
                if (it.metadata() != null) {
                    o.put("metadata", Http.json(it.metadata()));
                }
                out.add(o);
            }
            // Idempotent by id: safe to retry.
            return retrieval().call(HttpMethod.POST, path(rc) + "/items", tenant, new JsonObject().put("items", out), true)
                    .map(r -> new Reply(r.status(), r.json()));
        });
    }

    private Uni<JsonArray> embed(String path, String field, List<String> values) {
        if (values.isEmpty()) {
            return Uni.createFrom().item(new JsonArray());
        }
        return backends.embed().call(HttpMethod.POST, path, null, new JsonObject().put(field, values), true)
                .map(r -> r.json().getJsonArray("embeddings"));
    }

    private Uni<Reply> search(RoutingContext rc) {
        SearchRequest req = Http.body(rc, SearchRequest.class, Http.STRICT);
        Query q = req.query();
        if (q == null) {
            throw Http.invalid("query is required.");
        }
        int given = (q.text() != null ? 1 : 0) + (q.image() != null ? 1 : 0) + (q.itemId() != null ? 1 : 0)
                + (q.vector() != null ? 1 : 0);
        if (given != 1) {
            throw Http.invalid("query needs exactly one of text, image, item_id and vector.");
        }
        JsonObject body = options(req.topK(), req.filter(), req.minScore()).put("modality", req.modality())
                .put("ef_search", req.efSearch());
        if (q.itemId() != null) {
            return searchWith(rc, body.put("item_id", q.itemId()));
        }
        if (q.vector() != null) {
            JsonArray v = new JsonArray();
            for (float f : q.vector()) {
                v.add(f);
            }
            return searchWith(rc, body.put("vector", v));
        }
        return vectorOf(q.text(), q.image()).flatMap(v -> searchWith(rc, body.put("vector", v)));
    }

    private Uni<Reply> textToImage(RoutingContext rc) {
        TextToImage req = Http.body(rc, TextToImage.class, Http.STRICT);
        if (req.text() == null) {
            throw Http.invalid("text is required.");
        }
        JsonObject body = options(req.topK(), req.filter(), req.minScore()).put("modality", "image");
        return vectorOf(req.text(), null).flatMap(v -> searchWith(rc, body.put("vector", v)));
    }

    private Uni<Reply> imageToText(RoutingContext rc) {
        ImageToText req = Http.body(rc, ImageToText.class, Http.STRICT);
        if (req.image() == null) {
            throw Http.invalid("image is required.");
        }
        JsonObject body = options(req.topK(), req.filter(), req.minScore()).put("modality", "text");
        return vectorOf(null, req.image()).flatMap(v -> searchWith(rc, body.put("vector", v)));
    }

    private static JsonObject options(Integer topK, JsonNode filter, Double minScore) {
        JsonObject o = new JsonObject().put("top_k", topK).put("min_score", minScore);
        if (filter != null) {
            o.put("filter", Http.json(filter));
        }
        return o;
    }

    private Uni<JsonArray> vectorOf(String text, String image) {
        return text != null ? embed("/embed/text", "texts", List.of(text)).map(a -> a.getJsonArray(0))
                : embed("/embed/image", "images", List.of(image)).map(a -> a.getJsonArray(0));
    }

    private Uni<Reply> searchWith(RoutingContext rc, JsonObject body) {
        // Drop absent options rather than sending nulls.
        body.getMap().values().removeIf(v -> v == null);
        return retrieval().call(HttpMethod.POST, path(rc) + "/search", GatewayRouter.tenant(rc), body, true)
                .map(r -> Reply.ok(r.json()));
    }
}
