package dev.sightline.retrieval.api;

import com.fasterxml.jackson.databind.ObjectMapper;
import dev.sightline.common.naming.Names;
import dev.sightline.common.problem.CommonProblem;
import dev.sightline.common.problem.ProblemException;
import dev.sightline.common.query.QueryFlag;
import dev.sightline.retrieval.Identifiers;
import dev.sightline.retrieval.Item;
import dev.sightline.retrieval.SearchHit;
import dev.sightline.retrieval.Modality;
import dev.sightline.retrieval.config.RetrievalConfig;
import dev.sightline.retrieval.duplicates.Dedup;
import dev.sightline.retrieval.duplicates.OnDuplicate;
import dev.sightline.retrieval.media.MediaKind;
import dev.sightline.retrieval.media.StoredMedia;
import dev.sightline.retrieval.store.DuplicateScan;
import dev.sightline.retrieval.store.ItemStore;
import dev.sightline.retrieval.store.MediaStore;
import dev.sightline.retrieval.store.NewItem;
import jakarta.validation.Valid;
import jakarta.validation.constraints.NotNull;
import jakarta.ws.rs.Consumes;
import jakarta.ws.rs.DELETE;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.HeaderParam;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.QueryParam;
import jakarta.ws.rs.core.HttpHeaders;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;
import java.io.InputStream;
import java.util.List;
import java.util.Locale;

/** Items of a collection, and search over them. */
@Path("/collections/{name}")
@Produces(MediaType.APPLICATION_JSON)
public class ItemResource {

    /** Newline-delimited JSON, one item per line. */
    public static final String NDJSON = "application/x-ndjson";

    private final ItemStore store;
    private final MediaStore media;
    private final RequestChecks checks;
    private final ObjectMapper mapper;
    private final RetrievalConfig.Bulk bulk;
    private final DuplicateScan duplicates;

    public ItemResource(ItemStore store, MediaStore media, RequestChecks checks, ObjectMapper mapper,
            RetrievalConfig config, DuplicateScan duplicates) {
        this.store = store;
        this.duplicates = duplicates;
        this.media = media;
        this.checks = checks;
        this.mapper = mapper;
        this.bulk = config.bulk();
    }

    @POST
    @Path("/items")
    @Consumes(MediaType.APPLICATION_JSON)
    public UpsertResponse upsert(@HeaderParam(Names.TENANT_HEADER) String tenant, @PathParam("name") String name,
            @Valid @NotNull UpsertRequest request) {
        Identifiers.tenant(tenant);
        Identifiers.collection(name);
        List<NewItem> items = checks.items(request);
        OnDuplicate onDuplicate = OnDuplicate.of(request.onDuplicate());
        if (onDuplicate == null && request.duplicateThreshold() != null) {
            throw new ProblemException(CommonProblem.INVALID_REQUEST, "duplicate_threshold needs on_duplicate.");
        }
        Dedup dedup = onDuplicate == null ? null
                : new Dedup(onDuplicate, checks.duplicateThreshold(request.duplicateThreshold()));
        ItemStore.Upserted done = store.upsert(tenant, name, items, c -> {
            RequestChecks.sameModel(request.model(), c);
            RequestChecks.sameModeration(request.judgedBy(), c);
            RequestChecks.dimensions(items, c);
        }, dedup);
        return new UpsertResponse(name, done.written(), done.stale(), done.outcomes());
    }

    /**
     * Groups of near-duplicate items ({@code threshold}: cosine similarity, absent: the configured default;
     * {@code modality}: image or text, absent: both), found from each item's nearest neighbours.
     */
    @POST
    @Path("/duplicates")
    @Consumes(MediaType.APPLICATION_JSON)
    public DuplicatesResponse duplicates(@HeaderParam(Names.TENANT_HEADER) String tenant,
            @PathParam("name") String name, DuplicatesRequest request) {
        Identifiers.tenant(tenant);
        Identifiers.collection(name);
        DuplicatesRequest r = request == null ? new DuplicatesRequest(null, null) : request;
        double threshold = checks.duplicateThreshold(r.threshold());
        Modality modality = r.modality() == null ? null : Modality.of(r.modality());
        DuplicateScan.Result found = duplicates.scan(tenant, name, threshold, modality);
        return new DuplicatesResponse(name, threshold, r.modality(), found.scanned(), found.groups());
    }

    /**
     * Many items as NDJSON, one {@code {id, vector, modality, text?, metadata?, version?}} per line: streamed into
     * the database by binary COPY, all or nothing, committed before the answer; {@code judged_by} as the JSON
     * upsert's; {@code more=true}: more requests of this load follow ({@link ItemStore#load}).
     */
    @POST
    @Path("/items/bulk")
    @Consumes(NDJSON)
    public UpsertResponse bulk(@HeaderParam(Names.TENANT_HEADER) String tenant, @PathParam("name") String name,
            @QueryParam("judged_by") String judgedBy, @QueryParam("more") String more, InputStream body) {
        Identifiers.tenant(tenant);
        Identifiers.collection(name);
        boolean moreFollow = QueryFlag.of("more", more);
        NdjsonItems items = new NdjsonItems(mapper, body, checks, bulk);
        ItemStore.Upserted done = store.load(tenant, name, items, c -> RequestChecks.sameModeration(judgedBy, c),
                moreFollow);
        return new UpsertResponse(name, done.written(), done.stale());
    }

    /**
     * The collection's items in id order, a page at a time: {@code {"items": [...], "next_after": id | null}};
     * {@code next_after} is given while more may follow.
     */
    @GET
    @Path("/items")
    public ItemPage list(@HeaderParam(Names.TENANT_HEADER) String tenant, @PathParam("name") String name,
            @QueryParam("after") String after, @QueryParam("limit") String limit) {
        Identifiers.tenant(tenant);
        Identifiers.collection(name);
        if (after != null) {
            Identifiers.item(after);
        }
        int n = checks.listLimit(limit);
        List<Item> items = store.page(tenant, name, after, n);
        return new ItemPage(items, items.size() == n ? items.get(n - 1).id() : null);
    }

    @GET
    @Path("/items/{id}")
    public Item get(@HeaderParam(Names.TENANT_HEADER) String tenant, @PathParam("name") String name,
            @PathParam("id") String id, @QueryParam("include") String include) {
        Identifiers.tenant(tenant);
        Identifiers.collection(name);
        Identifiers.item(id);
        if (include != null && !include.equals("vector")) {
            throw new ProblemException(CommonProblem.INVALID_REQUEST, "include may only be vector.");
        }
        return store.get(tenant, name, id, "vector".equals(include)).orElseThrow(
                () -> new ProblemException(CommonProblem.NOT_FOUND, "Item " + id + " does not exist."));
    }

    /**
     * An item's kept thumbnail or original, as stored, with its SHA-256 as entity tag; 304 when {@code If-None-Match}
     * names it (the bytes are not read then).
     */
    @GET
    @Path("/items/{id}/{kind: thumbnail|original}")
    @Produces({"image/*", MediaType.APPLICATION_JSON})
    public Response media(@HeaderParam(Names.TENANT_HEADER) String tenant, @PathParam("name") String name,
            @PathParam("id") String id, @PathParam("kind") String kind,
            @HeaderParam(HttpHeaders.IF_NONE_MATCH) String ifNoneMatch) {
        Identifiers.tenant(tenant);
        Identifiers.collection(name);
        Identifiers.item(id);
        MediaKind k = MediaKind.valueOf(kind.toUpperCase(Locale.ROOT));
        MediaStore.Lookup found = media.get(tenant, name, id, k, EntityTags.hash(ifNoneMatch));
        if (found instanceof MediaStore.Lookup.Found f) {
            StoredMedia m = f.media();
            Response.ResponseBuilder r = m.bytes() == null ? Response.notModified()
                    : Response.ok(m.bytes(), m.contentType());
            return r.header(HttpHeaders.ETAG, EntityTags.of(m.sha256Hex()))
                    .header(HttpHeaders.CACHE_CONTROL, "private, max-age=86400").build();
        }
        if (found instanceof MediaStore.Lookup.NoItem) {
            throw new ProblemException(CommonProblem.NOT_FOUND, "Item " + id + " does not exist.");
        }
        throw new ProblemException(CommonProblem.NOT_FOUND, "Item " + id + " keeps no " + k.wire()
                + " (text items and items of a collection with media none keep none; only media original keeps"
                + " originals).");
    }

    @DELETE
    @Path("/items/{id}")
    public Response delete(@HeaderParam(Names.TENANT_HEADER) String tenant, @PathParam("name") String name,
            @PathParam("id") String id) {
        Identifiers.tenant(tenant);
        Identifiers.collection(name);
        Identifiers.item(id);
        if (!store.delete(tenant, name, id)) {
            throw new ProblemException(CommonProblem.NOT_FOUND, "Item " + id + " does not exist.");
        }
        return Response.noContent().build();
    }

    @POST
    @Path("/search")
    @Consumes(MediaType.APPLICATION_JSON)
    public SearchResponse search(@HeaderParam(Names.TENANT_HEADER) String tenant, @PathParam("name") String name,
            @Valid @NotNull SearchRequest request) {
        Identifiers.tenant(tenant);
        Identifiers.collection(name);
        checks.searchTarget(request);
        List<SearchHit> hits = store.search(tenant, name, col -> {
            RequestChecks.sameModel(request.model(), col);
            return checks.search(request, col);
        });
        return new SearchResponse(hits);
    }
}
