package dev.sightline.retrieval.api;

import com.fasterxml.jackson.databind.JsonNode;
import dev.sightline.common.naming.Names;
import dev.sightline.common.problem.CommonProblem;
import dev.sightline.common.problem.ProblemException;
import dev.sightline.retrieval.Collection;
import dev.sightline.retrieval.Identifiers;
import dev.sightline.retrieval.MediaMode;
import dev.sightline.retrieval.Precision;
import dev.sightline.retrieval.store.CollectionStore;
import dev.sightline.retrieval.store.MigrationStore;
import jakarta.validation.Valid;
import jakarta.validation.constraints.NotNull;
import jakarta.ws.rs.Consumes;
import jakarta.ws.rs.DELETE;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.HeaderParam;
import jakarta.ws.rs.PATCH;
import jakarta.ws.rs.PUT;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;
import java.util.LinkedHashMap;
import java.util.Map;

/** Collections of the calling tenant. */
@Path("/collections")
@Produces(MediaType.APPLICATION_JSON)
public class CollectionResource {

    private final CollectionStore store;
    private final MigrationStore migrations;
    private final RequestChecks checks;

    public CollectionResource(CollectionStore store, MigrationStore migrations, RequestChecks checks) {
        this.store = store;
        this.migrations = migrations;
        this.checks = checks;
    }

    @PUT
    @Path("/{name}")
    @Consumes(MediaType.APPLICATION_JSON)
    public Response create(@HeaderParam(Names.TENANT_HEADER) String tenant, @PathParam("name") String name,
            @Valid @NotNull CollectionRequest request) {
        Identifiers.tenant(tenant);
        Identifiers.collection(name);
        checks.collection(request);
        CollectionStore.Upserted u = store.create(tenant, name, request.dimension(), request.model(),
                Precision.of(request.precision()), checks.hnsw(request), MediaMode.of(request.media()),
                request.moderation() == null ? null : Identifiers.collection(request.moderation()));
        return Response.status(u.created() ? 201 : 200).entity(CollectionView.of(u.collection())).build();
    }

    /**
     * {@code {"moderation": name | null}}: the policy the collection's ingest applies from now on (null: none); items
     * already stored keep the verdicts they were given.
     */
    @PATCH
    @Path("/{name}")
    @Consumes(MediaType.APPLICATION_JSON)
    public CollectionView patch(@HeaderParam(Names.TENANT_HEADER) String tenant, @PathParam("name") String name,
            JsonNode body) {
        Identifiers.tenant(tenant);
        Identifiers.collection(name);
        if (body == null || !body.isObject() || body.size() != 1 || !body.has("moderation")
                || !(body.get("moderation").isNull() || body.get("moderation").isTextual())) {
            throw new ProblemException(CommonProblem.INVALID_REQUEST,
                    "Send {\"moderation\": a policy name or null}; nothing else of a collection changes.");
        }
        String policy = body.get("moderation").isNull() ? null : Identifiers.collection(body.get("moderation").asText());
        return CollectionView.of(store.setModeration(tenant, name, policy));
    }

    @GET
    public CollectionList list(@HeaderParam(Names.TENANT_HEADER) String tenant) {
        Identifiers.tenant(tenant);
        return new CollectionList(store.list(tenant).stream().map(CollectionView::of).toList());
    }

    @GET
    @Path("/{name}")
    public CollectionView get(@HeaderParam(Names.TENANT_HEADER) String tenant, @PathParam("name") String name) {
        Identifiers.tenant(tenant);
        Identifiers.collection(name);
        Collection c = store.find(tenant, name).orElseThrow(() -> CollectionStore.notFound(name));
        Map<String, Long> counts = new LinkedHashMap<>();
        store.counts(c).forEach((m, n) -> counts.put(m.wire(), n));
        return CollectionView.of(c, counts, store.indexState(c),
                migrations.active(tenant, name).map(MigrationView::of).orElse(null));
    }

    @DELETE
    @Path("/{name}")
    public Response delete(@HeaderParam(Names.TENANT_HEADER) String tenant, @PathParam("name") String name) {
        Identifiers.tenant(tenant);
        Identifiers.collection(name);
        if (!store.delete(tenant, name)) {
            throw CollectionStore.notFound(name);
        }
        return Response.noContent().build();
    }

}
