package dev.sightline.retrieval.api;

import dev.sightline.common.naming.Names;
import dev.sightline.common.problem.CommonProblem;
import dev.sightline.common.problem.ProblemException;
import dev.sightline.retrieval.Collection;
import dev.sightline.retrieval.Hnsw;
import dev.sightline.retrieval.Identifiers;
import dev.sightline.retrieval.Keywords;
import dev.sightline.retrieval.Modality;
import dev.sightline.retrieval.Policy;
import dev.sightline.retrieval.SearchMode;
import dev.sightline.retrieval.SearchQuery;
import dev.sightline.retrieval.config.RetrievalConfig;
import dev.sightline.retrieval.media.Blob;
import dev.sightline.retrieval.media.ItemMedia;
import dev.sightline.retrieval.store.NewItem;
import dev.sightline.retrieval.store.PgVectors;
import jakarta.enterprise.context.ApplicationScoped;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashSet;
import java.util.HexFormat;
import java.util.List;
import java.util.Set;
import java.util.regex.Pattern;

/** Turns request bodies into checked domain values, applying the configured limits. */
@ApplicationScoped
public class RequestChecks {

    private static final Pattern SHA256_HEX = Pattern.compile("[0-9a-f]{64}");
    /** As the media table's CHECK. */
    private static final Pattern CONTENT_TYPE = Pattern.compile("image/[a-z0-9.+-]{1,40}");

    private final RetrievalConfig config;
    private final JsonObjects.Bounds metadataBounds;
    private final JsonObjects.Bounds filterBounds;

    public RequestChecks(RetrievalConfig config) {
        this.config = config;
        RetrievalConfig.Limits lim = config.limits();
        this.metadataBounds = new JsonObjects.Bounds(lim.maxMetadataBytes(), lim.maxJsonDepth());
        this.filterBounds = new JsonObjects.Bounds(lim.maxFilterBytes(), lim.maxJsonDepth());
    }

    void collection(CollectionRequest r) {
        if (r.dimension() > config.limits().maxDimension()) {
            throw new ProblemException(CommonProblem.INVALID_REQUEST,
                    "dimension must be at most " + config.limits().maxDimension() + ".");
        }
        StorableText.check(r.model(), "model");
    }

    /**
     * The collection's HNSW settings: the request's within the configured bounds, the defaults for what it leaves
     * out. pgvector needs ef_construction ≥ 2 × m.
     */
    Hnsw hnsw(CollectionRequest r) {
        RetrievalConfig.Hnsw defaults = config.hnsw();
        RetrievalConfig.Limits lim = config.limits();
        Integer m = r.hnsw() == null ? null : r.hnsw().m();
        Integer ef = r.hnsw() == null ? null : r.hnsw().efConstruction();
        int mValue = m == null ? defaults.m() : m;
        int efValue = ef == null ? Math.max(defaults.efConstruction(), 2 * mValue) : ef;
        if (mValue < 2 || mValue > lim.maxHnswM()) {
            throw new ProblemException(CommonProblem.INVALID_REQUEST, "hnsw.m must be from 2 to " + lim.maxHnswM()
                    + ".");
        }
        if (efValue < 2 * mValue || efValue > lim.maxHnswEfConstruction()) {
            throw new ProblemException(CommonProblem.INVALID_REQUEST, "hnsw.ef_construction must be from 2 × m ("
                    + 2 * mValue + ") to " + lim.maxHnswEfConstruction() + ".");
        }
        return new Hnsw(mValue, efValue);
    }

    /** Checks what can be checked without the collection; the dimension is checked by {@link #dimensions}. */
    /** The page size of an item listing: default 100, 1 to {@code limits.max-list-items}. */
    int listLimit(String limit) {
        if (limit == null) {
            return Math.min(100, config.limits().maxListItems());
        }
        int n;
        try {
            n = Integer.parseInt(limit);
        } catch (NumberFormatException e) {
            n = 0;
        }
        if (n < 1 || n > config.limits().maxListItems()) {
            throw new ProblemException(CommonProblem.INVALID_REQUEST,
                    "limit must be an integer from 1 to " + config.limits().maxListItems() + ".");
        }
        return n;
    }

    /** A writer's or searcher's vectors from one model, against a collection that may have moved to another. */
    static void sameModel(String model, Collection c) {
        if (model != null && !model.equals(c.model())) {
            throw new ProblemException(CommonProblem.MODEL_CHANGED, "Collection " + c.name() + " holds the model "
                    + c.model() + " now, not " + model + ".");
        }
    }

    /**
     * {@code judgedBy}: the moderation policy the writer judged the items with ("" for none), or null when it did
     * not judge them (a writer other than the gateway); the collection must apply that policy still.
     */
    static void sameModeration(String judgedBy, Collection c) {
        if (judgedBy == null) {
            return;
        }
        String expected = judgedBy.isEmpty() ? null : judgedBy;
        if (!java.util.Objects.equals(expected, c.moderation())) {
            throw new ProblemException(CommonProblem.MODERATION_CHANGED, "Collection " + c.name() + " applies "
                    + (c.moderation() == null ? "no moderation policy" : "the moderation policy " + c.moderation())
                    + " now, not " + (expected == null ? "none" : expected) + ".");
        }
    }

    List<NewItem> items(UpsertRequest r) {
        RetrievalConfig.Limits lim = config.limits();
        if (r.items().size() > lim.maxBatchItems()) {
            throw new ProblemException(CommonProblem.PAYLOAD_TOO_LARGE,
                    "At most " + lim.maxBatchItems() + " items per request; got " + r.items().size() + ".");
        }
        Set<String> seen = new HashSet<>();
        List<NewItem> out = new ArrayList<>(r.items().size());
        for (int i = 0; i < r.items().size(); i++) {
            out.add(item(r.items().get(i), "items[" + i + "]", seen));
        }
        return out;
    }

    /** One item, checked as far as it can be without the collection; {@code seen} catches repeated ids. */
    NewItem item(ItemInput in, String where, Set<String> seen) {
        RetrievalConfig.Limits lim = config.limits();
        if (in.id() == null || in.vector() == null || in.modality() == null) {
            throw new ProblemException(CommonProblem.INVALID_REQUEST, where + ": id, vector and modality are required.");
        }
        if (!Identifiers.ITEM_ID.matcher(in.id()).matches()) {
            throw new ProblemException(CommonProblem.INVALID_REQUEST, where + ": invalid item id: must match "
                    + Identifiers.ITEM_ID.pattern() + ".");
        }
        if (!seen.add(in.id())) {
            throw new ProblemException(CommonProblem.INVALID_REQUEST, where + ": duplicate id " + in.id() + ".");
        }
        if (in.version() != null && in.version() <= 0) {
            throw new ProblemException(CommonProblem.INVALID_REQUEST, where + ": version must be positive.");
        }
        if (in.text() != null && in.text().length() > lim.maxTextChars()) {
            throw new ProblemException(CommonProblem.PAYLOAD_TOO_LARGE,
                    where + ": text longer than " + lim.maxTextChars() + " characters.");
        }
        StorableText.check(in.text(), where + ".text");
        Modality modality = Modality.of(in.modality());
        return new NewItem(in.id(), modality, in.vector(), in.text(),
                JsonObjects.of(in.metadata(), where + ".metadata", metadataBounds, "{}"), in.version(),
                media(in.media(), modality, where + ".media"));
    }

    /** An image item's media, its hashes checked (the source's against the original when that is given). */
    private ItemMedia media(ItemInput.MediaInput in, Modality modality, String where) {
        if (in == null) {
            return null;
        }
        if (modality != Modality.IMAGE) {
            throw new ProblemException(CommonProblem.INVALID_REQUEST, where + ": only image items keep media.");
        }
        RetrievalConfig.Limits lim = config.limits();
        Blob thumbnail = blob(in.thumbnail(), lim.maxThumbnailBytes(), where + ".thumbnail");
        Blob original = blob(in.original(), lim.maxOriginalBytes(), where + ".original");
        byte[] source;
        if (in.sourceSha256() == null) {
            if (original == null) {
                throw new ProblemException(CommonProblem.INVALID_REQUEST, where + ".source_sha256 is required.");
            }
            source = original.sha256();
        } else {
            if (!SHA256_HEX.matcher(in.sourceSha256()).matches()) {
                throw new ProblemException(CommonProblem.INVALID_REQUEST,
                        where + ".source_sha256 must be 64 lower-case hex digits.");
            }
            source = HexFormat.of().parseHex(in.sourceSha256());
            if (original != null && !Arrays.equals(source, original.sha256())) {
                throw new ProblemException(CommonProblem.INVALID_REQUEST,
                        where + ".source_sha256 is not the SHA-256 of the original.");
            }
        }
        return new ItemMedia(source, thumbnail, original);
    }

    private static Blob blob(ItemInput.Part part, long maxBytes, String where) {
        if (part == null) {
            return null;
        }
        if (part.contentType() == null || !CONTENT_TYPE.matcher(part.contentType()).matches()) {
            throw new ProblemException(CommonProblem.INVALID_REQUEST,
                    where + ".content_type must be an image/… media type.");
        }
        if (part.data() == null || part.data().length == 0) {
            throw new ProblemException(CommonProblem.INVALID_REQUEST, where + ".data must be non-empty base64.");
        }
        if (part.data().length > maxBytes) {
            throw new ProblemException(CommonProblem.PAYLOAD_TOO_LARGE,
                    where + " is larger than " + maxBytes + " bytes.");
        }
        return Blob.of(part.contentType(), part.data());
    }

    /** Label and template counts of a saved classifier within the configured bounds. */
    void classifier(ClassifierRequest r) {
        RetrievalConfig.Limits lim = config.limits();
        if (r.labels().size() > lim.maxClassifierLabels() || r.templates().size() > lim.maxClassifierTemplates()) {
            throw new ProblemException(CommonProblem.PAYLOAD_TOO_LARGE, "At most " + lim.maxClassifierLabels()
                    + " labels and " + lim.maxClassifierTemplates() + " templates per classifier.");
        }
        if (r.labels().size() < 2) {
            throw new ProblemException(CommonProblem.INVALID_REQUEST, "labels: give at least two labels.");
        }
        StorableText.check(r.model(), "model");
        for (int i = 0; i < r.labels().size(); i++) {
            StorableText.check(r.labels().get(i), "labels[" + i + "]");
        }
        for (int i = 0; i < r.templates().size(); i++) {
            StorableText.check(r.templates().get(i), "templates[" + i + "]");
        }
        if (r.labelVectors().get(0).length > lim.maxDimension()) {
            throw new ProblemException(CommonProblem.INVALID_REQUEST,
                    "label_vectors: dimension must be at most " + lim.maxDimension() + ".");
        }
    }

    /**
     * A policy as sent, checked: distinct category names, prompts and benign prompts within the limits and storable,
     * finite thresholds, actions flag or reject, and per category one vector per prompt and benign prompt, all of one
     * dimension.
     */
    Policy policy(String name, PolicyRequest r) {
        RetrievalConfig.Limits lim = config.limits();
        if (r.categories().size() > lim.maxPolicyCategories()) {
            throw new ProblemException(CommonProblem.PAYLOAD_TOO_LARGE, "At most " + lim.maxPolicyCategories()
                    + " categories per policy.");
        }
        if (r.promptVectors().size() != r.categories().size()) {
            throw new ProblemException(CommonProblem.INVALID_REQUEST, "Give prompt vectors for every category.");
        }
        StorableText.check(r.model(), "model");
        Set<String> names = new HashSet<>();
        List<Policy.Category> categories = new ArrayList<>();
        int dim = r.promptVectors().get(0).isEmpty() ? 0 : r.promptVectors().get(0).get(0).length;
        if (dim > lim.maxDimension()) {
            throw new ProblemException(CommonProblem.INVALID_REQUEST,
                    "prompt_vectors: dimension must be at most " + lim.maxDimension() + ".");
        }
        for (int i = 0; i < r.categories().size(); i++) {
            PolicyRequest.CategoryInput in = r.categories().get(i);
            String where = "categories[" + i + "]";
            if (!Names.isName(in.name()) || !names.add(in.name())) {
                throw new ProblemException(CommonProblem.INVALID_REQUEST, where + ".name must be distinct and match "
                        + Names.NAME.pattern() + ".");
            }
            List<String> benign = in.benign() == null ? List.of() : in.benign();
            if (in.prompts().size() > lim.maxPolicyPrompts() || benign.size() > lim.maxPolicyPrompts()) {
                throw new ProblemException(CommonProblem.PAYLOAD_TOO_LARGE, where + ": at most "
                        + lim.maxPolicyPrompts() + " prompts and " + lim.maxPolicyPrompts() + " benign prompts.");
            }
            for (int k = 0; k < in.prompts().size(); k++) {
                StorableText.check(in.prompts().get(k), where + ".prompts[" + k + "]");
            }
            for (int k = 0; k < benign.size(); k++) {
                StorableText.check(benign.get(k), where + ".benign[" + k + "]");
            }
            if (!Double.isFinite(in.threshold())) {
                throw new ProblemException(CommonProblem.INVALID_REQUEST, where + ".threshold must be a number.");
            }
            if (!in.action().equals("flag") && !in.action().equals("reject")) {
                throw new ProblemException(CommonProblem.INVALID_REQUEST, where + ".action must be flag or reject.");
            }
            List<float[]> vectors = r.promptVectors().get(i);
            if (vectors.size() != in.prompts().size() + benign.size()) {
                throw new ProblemException(CommonProblem.INVALID_REQUEST, "prompt_vectors[" + i + "]: give one vector"
                        + " per prompt and then one per benign prompt.");
            }
            for (int k = 0; k < vectors.size(); k++) {
                PgVectors.check(vectors.get(k), dim, "prompt_vectors[" + i + "][" + k + "]");
            }
            categories.add(new Policy.Category(in.name(), in.prompts(), benign, in.threshold(), in.action()));
        }
        return new Policy(name, r.model(), categories, r.promptVectors(), null, null);
    }

    /** A near-duplicate threshold (cosine similarity in [0.5, 1]); the configured default when absent. */
    double duplicateThreshold(Double t) {
        if (t == null) {
            return config.duplicates().defaultThreshold();
        }
        if (!(t >= 0.5 && t <= 1.0)) {
            throw new ProblemException(CommonProblem.INVALID_REQUEST,
                    "The duplicate threshold is a cosine similarity from 0.5 to 1.");
        }
        return t;
    }

    static void dimensions(List<NewItem> items, Collection c) {
        for (int i = 0; i < items.size(); i++) {
            PgVectors.check(items.get(i).vector(), c, "items[" + i + "].vector");
        }
    }

    /** The query, once the collection is known (an item_id's vector is read by the search's own SQL). */
    SearchQuery search(SearchRequest r, Collection c) {
        RetrievalConfig.Search s = config.search();
        int topK = r.topK() == null ? 10 : r.topK();
        if (topK > s.maxTopK()) {
            throw new ProblemException(CommonProblem.INVALID_REQUEST, "top_k must be at most " + s.maxTopK() + ".");
        }
        int ef = r.efSearch() == null ? s.defaultEfSearch() : r.efSearch();
        if (ef > s.maxEfSearch()) {
            throw new ProblemException(CommonProblem.INVALID_REQUEST, "ef_search must be at most " + s.maxEfSearch() + ".");
        }
        if (r.minScore() != null && (r.minScore().isNaN() || r.minScore() < -1 || r.minScore() > 1)) {
            throw new ProblemException(CommonProblem.INVALID_REQUEST, "min_score must be between -1 and 1.");
        }
        SearchMode mode = SearchMode.of(r.mode());
        if (r.vector() != null) {
            PgVectors.check(r.vector(), c, "vector");
        }
        return new SearchQuery(r.vector(), topK, r.modality() == null ? null : Modality.of(r.modality()),
                JsonObjects.of(r.filter(), "filter", filterBounds, null), r.minScore(), ef,
                r.itemId(), mode, r.keywords() == null ? null : Keywords.normalise(r.keywords()));
    }

    /**
     * What a search ranks by: a vector search one of vector and item_id, a keyword search its keywords only, a
     * hybrid search both.
     */
    void searchTarget(SearchRequest r) {
        SearchMode mode = SearchMode.of(r.mode());
        boolean target = r.vector() != null || r.itemId() != null;
        if (mode == SearchMode.KEYWORD ? target : (r.vector() == null) == (r.itemId() == null)) {
            throw new ProblemException(CommonProblem.INVALID_REQUEST, mode == SearchMode.KEYWORD
                    ? "A keyword search takes keywords, not a vector or item_id."
                    : "Give exactly one of vector and item_id.");
        }
        if (mode == SearchMode.VECTOR && r.keywords() != null) {
            throw new ProblemException(CommonProblem.INVALID_REQUEST, "keywords need mode keyword or hybrid.");
        }
        if (mode != SearchMode.VECTOR) {
            if (r.keywords() == null || r.keywords().isBlank()) {
                throw new ProblemException(CommonProblem.INVALID_REQUEST, "A " + mode.name().toLowerCase()
                        + " search needs keywords.");
            }
            StorableText.check(r.keywords(), "keywords");
            if (r.keywords().length() > config.limits().maxTextChars()) {
                throw new ProblemException(CommonProblem.PAYLOAD_TOO_LARGE, "keywords longer than "
                        + config.limits().maxTextChars() + " characters.");
            }
        }
        if (r.itemId() != null) {
            Identifiers.item(r.itemId());
        }
    }
}
