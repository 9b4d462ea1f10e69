package dev.sightline.gateway.service;

import com.fasterxml.jackson.databind.JsonNode;
import dev.sightline.common.naming.Names;
import dev.sightline.gateway.client.BackendBytes;
import dev.sightline.gateway.client.BackendReply;
import dev.sightline.gateway.client.EmbedClient;
import dev.sightline.gateway.client.ModelInfo;
import dev.sightline.gateway.client.RetrievalClient;
import io.smallrye.mutiny.Uni;
import io.vertx.core.json.JsonObject;
import jakarta.enterprise.context.ApplicationScoped;
import java.util.Set;

/** A tenant's collections and single items. */
@ApplicationScoped
public class CollectionService {

    /**
     * {@code POST /v1/collections}: dimension and model default to the served model's, precision (how the vectors
     * are stored: "float32" or "float16") to retrieval-service's, float32, and the HNSW settings to
     * retrieval-service's (which checks their bounds); {@code moderation} names the tenant's policy its ingest
     * applies.
     */
    public record CreateCollection(String name, Integer dimension, String model, String precision, Hnsw hnsw,
            String media, String moderation) {

        /** Without a moderation policy. */
        public CreateCollection(String name, Integer dimension, String model, String precision, Hnsw hnsw,
                String media) {
            this(name, dimension, model, precision, hnsw, media, null);
        }
    }

    /** {@code {"m": …, "ef_construction": …}}, either optional. */
    public record Hnsw(Integer m, Integer efConstruction) {
    }

    private static final Set<String> PRECISIONS = Set.of("float32", "float16");
    private static final Set<String> MEDIA = Set.of("none", "thumbnail", "original");

    private final RetrievalClient retrieval;
    private final EmbedClient embed;

    public CollectionService(RetrievalClient retrieval, EmbedClient embed) {
        this.retrieval = retrieval;
        this.embed = embed;
    }

    public Uni<BackendReply> create(String tenant, CreateCollection req) {
        if (!Names.isName(req.name())) {
            throw Problems.invalid("name is required and must match " + Names.NAME.pattern() + ".");
        }
        if (req.precision() != null && !PRECISIONS.contains(req.precision())) {
            throw Problems.invalid("precision must be float32 or float16.");
        }
        if (req.media() != null && !MEDIA.contains(req.media())) {
            throw Problems.invalid("media must be none, thumbnail or original.");
        }
        if (req.moderation() != null && !Names.isName(req.moderation())) {
            throw Problems.invalid("moderation must name a policy (" + Names.NAME.pattern() + ").");
        }
        // The model defaults to the default model; the dimension to the model's, when it is served. A collection of
        // a model not served here takes vectors only, and must say their dimension.
        return embed.models().flatMap(served -> {
            String model = req.model() == null ? served.get(0).id() : req.model();
            Integer dimension = req.dimension() != null ? req.dimension()
                    : served.stream().filter(m -> m.id().equals(model)).map(ModelInfo::dimensions).findFirst()
                            .orElseThrow(() -> Problems.invalid("dimension is required for the model " + model
                                    + ", which is not served here."));
            return retrieval.createCollection(tenant, req.name(), dimension, model, req.precision(),
                req.hnsw() == null ? null : req.hnsw().m(), req.hnsw() == null ? null : req.hnsw().efConstruction(),
                req.media(), req.moderation());
        });
    }

    /**
     * {@code PATCH /v1/collections/{name}}: {@code {"moderation": name | null}}, the policy its ingest applies from
     * now on; nothing else of a collection changes after its creation.
     */
    public Uni<JsonObject> patch(String tenant, String name, JsonNode body) {
        JsonNode m = body.get("moderation");
        if (body.size() != 1 || m == null || !(m.isNull() || m.isTextual())) {
            throw Problems.invalid("Send {\"moderation\": a policy name or null}; nothing else of a collection"
                    + " changes after its creation.");
        }
        if (m.isTextual() && !Names.isName(m.asText())) {
            throw Problems.invalid("moderation must name a policy (" + Names.NAME.pattern() + ").");
        }
        return retrieval.patchCollection(tenant, name, new JsonObject().put("moderation", m.isNull() ? null
                : m.asText()));
    }

    public Uni<JsonObject> list(String tenant) {
        return retrieval.collections(tenant);
    }

    public Uni<JsonObject> get(String tenant, String name) {
        return retrieval.collection(tenant, name);
    }

    public Uni<Void> delete(String tenant, String name) {
        return retrieval.deleteCollection(tenant, name);
    }

    /** One item; its vector only when {@code include} is "vector". */
    public Uni<JsonObject> item(String tenant, String collection, String id, String include) {
        return retrieval.item(tenant, collection, id, "vector".equals(include));
    }

    /** A page of the collection's items in id order (retrieval-service checks the names and the limit). */
    public Uni<JsonObject> items(String tenant, String collection, String after, String limit) {
        return retrieval.items(tenant, collection, after, limit);
    }

    /** An item's kept thumbnail or original (retrieval-service checks the names and the tenant). */
    public Uni<BackendBytes> media(String tenant, String collection, String id, String kind, String ifNoneMatch) {
        return retrieval.media(tenant, collection, id, kind, ifNoneMatch);
    }

    /** {@code POST /v1/collections/{name}/duplicates}: retrieval-service checks the threshold and modality. */
    public Uni<JsonObject> duplicates(String tenant, String collection, Duplicates req) {
        JsonObject body = new JsonObject();
        if (req != null && req.threshold() != null) {
            body.put("threshold", req.threshold());
        }
        if (req != null && req.modality() != null) {
            body.put("modality", req.modality());
        }
        return retrieval.duplicates(tenant, collection, body);
    }

    /** The body of {@code POST /v1/collections/{name}/duplicates}, both optional. */
    public record Duplicates(Double threshold, String modality) {
    }

    public Uni<Void> deleteItem(String tenant, String collection, String id) {
        return retrieval.deleteItem(tenant, collection, id);
    }
}
