package dev.sightline.gateway.service;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import dev.sightline.common.problem.CommonProblem;
import dev.sightline.common.text.StorableText;
import dev.sightline.gateway.client.BackendProblem;
import dev.sightline.gateway.client.Embeddings;
import dev.sightline.gateway.client.RetrievalClient;
import dev.sightline.gateway.config.GatewayConfig;
import dev.sightline.gateway.moderation.PolicyVectors.Verdict;
import io.smallrye.mutiny.Uni;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import jakarta.enterprise.context.ApplicationScoped;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.Set;

/** Adding items to a collection: texts and images are embedded here, then stored in one atomic upsert. */
@ApplicationScoped
public class IngestService {

    /** One item of {@code POST /v1/collections/{name}/items}: exactly one of text and image. */
    public record ItemInput(String id, String text, String image, JsonNode metadata) {
    }

    /**
     * The JSON body of {@code POST /v1/collections/{name}/items}; {@code onDuplicate} (keep, skip or replace) and
     * {@code duplicateThreshold} ask for near-duplicate handling (retrieval-service checks them).
     */
    public record ItemsRequest(List<ItemInput> items, String onDuplicate, Double duplicateThreshold) {

        public ItemsRequest(List<ItemInput> items) {
            this(items, null, null);
        }
    }

    /** Near-duplicate handling of an upsert: {@code onDuplicate} null for none. */
    public record DuplicateHandling(String onDuplicate, Double threshold) {

        static final DuplicateHandling NONE = new DuplicateHandling(null, null);

        /** As retrieval-service takes it, or null for none; checked before anything is embedded. */
        JsonObject json() {
            if (onDuplicate == null) {
                if (threshold != null) {
                    throw Problems.invalid("duplicate_threshold needs on_duplicate.");
                }
                return null;
            }
            if (!Set.of("keep", "skip", "replace").contains(onDuplicate)) {
                throw Problems.invalid("on_duplicate must be keep, skip or replace.");
            }
            if (threshold != null && !(threshold >= 0.5 && threshold <= 1)) {
                throw Problems.invalid("The duplicate threshold is a cosine similarity from 0.5 to 1.");
            }
            JsonObject o = new JsonObject().put("on_duplicate", onDuplicate);
            return threshold == null ? o : o.put("duplicate_threshold", threshold);
        }
    }

    private final RetrievalClient retrieval;
    private final Embedder embedder;
    private final CollectionModels models;
    private final GatewayConfig.Limits limits;
    private final VersionClock versions;
    private final IngestModeration moderation;

    public IngestService(RetrievalClient retrieval, Embedder embedder, CollectionModels models, GatewayConfig config,
            VersionClock versions, IngestModeration moderation) {
        this.retrieval = retrieval;
        this.moderation = moderation;
        this.embedder = embedder;
        this.models = models;
        this.limits = config.limits();
        this.versions = versions;
    }

    /** Items given as JSON. */
    public Uni<JsonObject> upsert(String tenant, String collection, ItemsRequest req) {
        List<ItemInput> items = req.items();
        if (items == null || items.isEmpty()) {
            throw Problems.invalid("items must be a non-empty array.");
        }
        if (items.size() > limits.maxItems()) {
            throw Problems.tooLarge("At most " + limits.maxItems() + " items per request; got " + items.size() + ".");
        }
        int images = 0;
        for (int i = 0; i < items.size(); i++) {
            ItemInput it = items.get(i);
            if (it == null || it.id() == null) {
                throw Problems.invalid("items[" + i + "].id is required.");
            }
            if ((it.text() == null) == (it.image() == null)) {
                throw Problems.invalid("items[" + i + "] needs exactly one of text and image.");
            }
            Json.object(it.metadata(), "items[" + i + "].metadata");
            images += it.image() != null ? 1 : 0;
        }
        checkImageCount(images);
        return store(tenant, collection, items, new DuplicateHandling(req.onDuplicate(), req.duplicateThreshold()));
    }

    /** Image files uploaded as multipart parts: the item id is the file name, the metadata is shared. */
    public Uni<JsonObject> upsertUploads(String tenant, String collection, List<Upload> files, String metadataJson,
            DuplicateHandling dedup) {
        if (files.isEmpty()) {
            throw Problems.invalid("Send one or more image files in parts named 'file'.");
        }
        checkImageCount(files.size());
        JsonNode metadata;
        try {
            metadata = metadataJson == null ? null : Json.parse(metadataJson);
        } catch (JsonProcessingException e) {
            throw Problems.invalid("metadata must be a JSON object.");
        }
        if (metadata != null && !metadata.isObject()) {
            throw Problems.invalid("metadata must be a JSON object.");
        }
        String unstorable = StorableText.firstProblem(metadata);
        if (unstorable != null) {
            throw Problems.invalid("Unstorable text in metadata: " + unstorable + ".");
        }
        List<ItemInput> items = new ArrayList<>();
        for (Upload f : files) {
            items.add(new ItemInput(f.baseName(), null, Base64.getEncoder().encodeToString(f.bytes()), metadata));
        }
        return store(tenant, collection, items, dedup);
    }

    private void checkImageCount(int images) {
        if (images > limits.maxImages()) {
            throw Problems.tooLarge("At most " + limits.maxImages() + " images per request; got " + images + ".");
        }
    }

    private Uni<JsonObject> store(String tenant, String collection, List<ItemInput> items, DuplicateHandling dedup) {
        JsonObject duplicates = dedup.json();
        List<Input> inputs = items.stream().map(it -> new Input(it.text(), it.image())).toList();
        // Taken when the request is accepted: a later request of the same ids always carries a newer version.
        long version = versions.next();
        // Fail early (404) for an unknown collection, before spending inference on it.
        // Every image's hash is stored (the folder indexer skips what is there); the collection says what else is kept.
        boolean images = items.stream().anyMatch(it -> it.image() != null);
        return embedAndStore(tenant, collection, items, inputs, images, version, duplicates)
                // The collection moved to another model (a migration switched it) between reading it and writing:
                // embedded again with the new one, once; the switch happens once.
                // Likewise when its moderation policy changed in between: judged again by the one it has now.
                .onFailure(BackendProblem.class).recoverWithUni(e -> ((BackendProblem) e)
                        .is(CommonProblem.MODEL_CHANGED) || ((BackendProblem) e).is(CommonProblem.MODERATION_CHANGED)
                                ? embedAndStore(tenant, collection, items, inputs, images, version, duplicates)
                                : Uni.createFrom().failure(e));
    }

    private Uni<JsonObject> embedAndStore(String tenant, String collection, List<ItemInput> items, List<Input> inputs,
            boolean images, long version, JsonObject duplicates) {
        return retrieval.collection(tenant, collection).flatMap(c -> models.of(collection, c).flatMap(model -> {
            String media = c.getString("media", "none");
            String policy = c.getString("moderation");
            return embedder.embed(inputs, null, images, images && !media.equals("none"), model)
                    .flatMap(vectors -> verdicts(tenant, policy, model, items, inputs, vectors)
                            .flatMap(verdicts -> retrieval.upsert(tenant, collection, records(items, vectors, version,
                                    media.equals("original"), policy, verdicts), model,
                                    judgedBy(duplicates, policy))));
        }));
    }

    /**
     * The collection's moderation policy's verdicts on the items (null without a policy); a request holding an item
     * it rejects is refused whole, naming the first such item.
     */
    private Uni<List<Verdict>> verdicts(String tenant, String policy, String model, List<ItemInput> items,
            List<Input> inputs, Embeddings vectors) {
        if (policy == null) {
            return Uni.createFrom().nullItem();
        }
        List<IngestModeration.Judged> judged = new ArrayList<>(items.size());
        for (int i = 0; i < items.size(); i++) {
            judged.add(new IngestModeration.Judged(items.get(i).id(), inputs.get(i), vectors.floats(i)));
        }
        return moderation.judge(tenant, policy, model, judged, i -> "items[" + i + "]");
    }

    /**
     * The upsert's options: near-duplicate handling, and the policy the items were judged by ("" for none), which
     * the collection must still apply when they are written.
     */
    private static JsonObject judgedBy(JsonObject duplicates, String policy) {
        return (duplicates == null ? new JsonObject() : duplicates.copy()).put("judged_by", policy == null ? ""
                : policy);
    }

    /**
     * The items as retrieval-service stores them, all with this write's version; image items with their source's
     * hash, thumbnail and (when {@code originals}) the uploaded bytes, as far as {@code vectors} carries them; with a
     * moderation policy, every item's metadata holds its verdict under {@code moderation} (replacing what the client
     * put there, so that a filter on it can be trusted).
     */
    static JsonArray records(List<ItemInput> items, Embeddings vectors, long version, boolean originals) {
        return records(items, vectors, version, originals, null, null);
    }

    static JsonArray records(List<ItemInput> items, Embeddings vectors, long version, boolean originals,
            String policy, List<Verdict> verdicts) {
        JsonArray out = new JsonArray();
        for (int k = 0; k < items.size(); k++) {
            ItemInput it = items.get(k);
            JsonObject o = new JsonObject().put("id", it.id());
            if (it.text() != null) {
                o.put("modality", "text").put("text", it.text());
            } else {
                o.put("modality", "image");
            }
            o.put("vector", vectors.vectors().getValue(k)).put("version", version);
            JsonObject metadata = Json.object(it.metadata(), "items[" + k + "].metadata");
            if (verdicts != null) {
                metadata = (metadata == null ? new JsonObject() : metadata.copy())
                        .put("moderation", IngestModeration.stamp(policy, verdicts.get(k)));
            }
            if (metadata != null) {
                o.put("metadata", metadata);
            }
            JsonObject source = vectors.sources() == null ? null : vectors.sources().getJsonObject(k);
            if (source != null) {
                JsonObject media = new JsonObject().put("source_sha256", source.getString("sha256"));
                JsonObject thumbnail = vectors.thumbnails() == null ? null : vectors.thumbnails().getJsonObject(k);
                if (thumbnail != null) {
                    media.put("thumbnail", new JsonObject().put("content_type", thumbnail.getString("content_type"))
                            .put("data", thumbnail.getString("data")));
                }
                if (originals) {
                    media.put("original", new JsonObject().put("content_type", source.getString("content_type"))
                            .put("data", ImagePayload.base64(it.image())));
                }
                o.put("media", media);
            }
            out.add(o);
        }
        return out;
    }
}
