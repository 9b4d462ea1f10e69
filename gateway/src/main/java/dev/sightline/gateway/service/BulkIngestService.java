package dev.sightline.gateway.service;

import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.sightline.gateway.client.BackendProblem;
import dev.sightline.gateway.client.RetrievalClient;
import dev.sightline.gateway.config.GatewayConfig;
import dev.sightline.gateway.service.BulkItems.BulkItem;
import io.smallrye.mutiny.Uni;
import io.smallrye.mutiny.infrastructure.Infrastructure;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.json.JsonObject;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Executor;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Bulk writes ({@code POST /v1/collections/{name}/items/bulk}, NDJSON): every line is checked before anything else,
 * then the collection (404 before any inference), then the texts and images are embedded in calls of the embed
 * limits, and all items are stored by retrieval-service's bulk write in one transaction with one version.
 */
@ApplicationScoped
public class BulkIngestService {

    /** How retrieval-service's bulk write names a line of the body it was sent. */
    private static final Pattern LINE = Pattern.compile("line (\\d{1,9})(.*)", Pattern.DOTALL);

    private final RetrievalClient retrieval;
    private final Embedder embedder;
    private final CollectionModels models;
    private final GatewayConfig.Limits limits;
    private final VersionClock versions;
    private final Executor worker;
    private final IngestModeration moderation;

    @Inject
    public BulkIngestService(RetrievalClient retrieval, Embedder embedder, CollectionModels models, GatewayConfig config,
            VersionClock versions, IngestModeration moderation) {
        // Reading up to 256 MiB of lines and writing them out again is seconds of CPU: not on the event loop.
        this(retrieval, embedder, models, config, versions, moderation, Infrastructure.getDefaultWorkerPool());
    }

    BulkIngestService(RetrievalClient retrieval, Embedder embedder, CollectionModels models, GatewayConfig config,
            VersionClock versions, IngestModeration moderation, Executor worker) {
        this.retrieval = retrieval;
        this.moderation = moderation;
        this.embedder = embedder;
        this.models = models;
        this.limits = config.limits();
        this.versions = versions;
        this.worker = worker;
    }

    /**
     * Stores the items of an NDJSON body; the answer is retrieval-service's ({@code collection, upserted, stale}).
     * {@code more}: more requests of the same load follow (the collection's deferred index waits for them).
     */
    public Uni<JsonObject> upsert(String tenant, String collection, Buffer body, boolean more) {
        return Uni.createFrom().item(() -> BulkItems.parse(body, limits.maxBulkItems(), limits.maxBulkImages()))
                .runSubscriptionOn(worker)
                .flatMap(items -> store(tenant, collection, items, more));
    }

    private Uni<JsonObject> store(String tenant, String collection, List<BulkItem> items, boolean more) {
        // Taken when the request is accepted, as for every upsert: one version for all the items.
        long version = versions.next();
        List<BulkItem> embedded = items.stream().filter(BulkItem::embedded).toList();
        return retrieval.collection(tenant, collection)
                .invoke(c -> BulkItems.checkDimensions(items, c.getInteger("dimension")))
                .invoke(c -> keepsNoMedia(items, collection, c.getString("media", "none")))
                .flatMap(c -> {
                    String policy = c.getString("moderation");
                    // Vector lines need no served model (a collection of one not served takes vectors only).
                    Uni<String> model = embedded.isEmpty() ? Uni.createFrom().item(c.getString("model"))
                            : models.of(collection, c);
                    return model.flatMap(m -> (embedded.isEmpty() ? Uni.createFrom().item(List.<float[]>of())
                            : embedder.embedAll(embedded.stream().map(BulkItem::input).toList(),
                                    limits.maxEmbeddingInputs(), limits.maxImages(),
                                    i -> "line " + embedded.get(i).line(), m))
                            .map(vectors -> all(items, vectors))
                            .flatMap(vectors -> moderated(tenant, policy, m, items, vectors)
                                    .emitOn(worker)
                                    .map(checked -> forwarded(checked, vectors, version))))
                            .flatMap(ndjson -> retrieval.bulkUpsert(tenant, collection, ndjson,
                                    policy == null ? "" : policy, more)
                                    .onFailure(BackendProblem.class).transform(e -> ((BackendProblem) e).withDetail(
                                            detail -> clientLine(detail, items))));
                });
    }

    /** Every item's vector, given or embedded, in line order. */
    private static List<float[]> all(List<BulkItem> items, List<float[]> embeddedVectors) {
        List<float[]> vectors = new ArrayList<>(items.size());
        int e = 0;
        for (BulkItem it : items) {
            vectors.add(it.embedded() ? embeddedVectors.get(e++) : it.vector());
        }
        return vectors;
    }

    /**
     * The items with the collection's moderation verdicts in their metadata (as they are without a policy); a line
     * the policy rejects refuses the request.
     */
    private Uni<List<BulkItem>> moderated(String tenant, String policy, String model, List<BulkItem> items,
            List<float[]> vectors) {
        if (policy == null) {
            return Uni.createFrom().item(items);
        }
        List<IngestModeration.Judged> judged = new ArrayList<>(items.size());
        for (int i = 0; i < items.size(); i++) {
            BulkItem it = items.get(i);
            judged.add(new IngestModeration.Judged(it.id(), it.embedded() ? it.input() : null, vectors.get(i)));
        }
        return moderation.judge(tenant, policy, model, judged, i -> "line " + items.get(i).line()).map(verdicts -> {
            List<BulkItem> out = new ArrayList<>(items.size());
            for (int i = 0; i < items.size(); i++) {
                BulkItem it = items.get(i);
                ObjectNode metadata = it.metadata() == null ? JsonNodeFactory.instance.objectNode()
                        : ((ObjectNode) it.metadata()).deepCopy();
                metadata.set("moderation", Json.tree(IngestModeration.stamp(policy, verdicts.get(i))));
                out.add(new BulkItem(it.line(), it.id(), it.text(), it.image(), it.vector(), it.modality(), metadata));
            }
            return out;
        });
    }

    /**
     * Bulk lines are streamed to retrieval-service without their images, so a collection that keeps media takes its
     * images by {@code POST …/items} (refused here, naming the first image line, rather than stored without them).
     */
    private void keepsNoMedia(List<BulkItem> items, String collection, String media) {
        if (media.equals("none")) {
            return;
        }
        for (BulkItem it : items) {
            if (it.image() != null) {
                throw Problems.invalid("line " + it.line() + ": collection " + collection + " keeps media (" + media
                        + "), which bulk writes do not carry; send its images to POST /v1/collections/" + collection
                        + "/items (up to " + limits.maxImages() + " per request, multipart files too), or bulk-load"
                        + " images into a collection created with media none.");
            }
        }
    }

    /** The NDJSON retrieval-service is sent: every item with its vector, given or embedded. */
    private Buffer forwarded(List<BulkItem> items, List<float[]> vectors, long version) {
        Buffer ndjson = BulkItems.ndjson(items, vectors, version);
        // Embedded vectors can make the lines much longer than the client's (a 512-d vector is ~6 KB of text). Sent
        // anyway, retrieval-service would refuse it by its declared size and close the connection mid-body, which
        // the gateway could not tell from an outage.
        if (ndjson.length() > limits.maxBulkBytes()) {
            throw Problems.tooLarge("With their vectors these items take " + ndjson.length() + " bytes; a bulk "
                    + "request may store at most " + limits.maxBulkBytes() + ". Send them in smaller requests.");
        }
        return ndjson;
    }

    /** retrieval-service's "line 7: …" of the forwarded body → the same item's line in the client's body. */
    private static String clientLine(String detail, List<BulkItem> items) {
        Matcher m = LINE.matcher(detail);
        if (!m.matches() || Integer.parseInt(m.group(1)) < 1 || Integer.parseInt(m.group(1)) > items.size()) {
            return detail;
        }
        return "line " + items.get(Integer.parseInt(m.group(1)) - 1).line() + m.group(2);
    }
}
