package dev.sightline.retrieval.api;

import dev.sightline.common.naming.Names;
import dev.sightline.common.problem.CommonProblem;
import dev.sightline.common.problem.ProblemException;
import dev.sightline.retrieval.Identifiers;
import dev.sightline.retrieval.Policy;
import dev.sightline.retrieval.store.PolicyStore;
import jakarta.validation.Valid;
import jakarta.validation.constraints.NotNull;
import jakarta.ws.rs.Consumes;
import jakarta.ws.rs.DELETE;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.HeaderParam;
import jakarta.ws.rs.PUT;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.QueryParam;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;

/** Moderation policies of the calling tenant: stored here, applied by the gateway. */
@Path("/moderation/policies")
@Produces(MediaType.APPLICATION_JSON)
public class PolicyResource {

    private final PolicyStore store;
    private final RequestChecks checks;

    public PolicyResource(PolicyStore store, RequestChecks checks) {
        this.store = store;
        this.checks = checks;
    }

    /** The tenant's policies by name, without prompt vectors. */
    @GET
    public PolicyList list(@HeaderParam(Names.TENANT_HEADER) String tenant) {
        Identifiers.tenant(tenant);
        return new PolicyList(store.list(tenant));
    }

    @PUT
    @Path("{name}")
    @Consumes(MediaType.APPLICATION_JSON)
    public Response put(@HeaderParam(Names.TENANT_HEADER) String tenant, @PathParam("name") String name,
            @Valid @NotNull PolicyRequest r) {
        Identifiers.tenant(tenant);
        Identifiers.collection(name);
        Policy p = checks.policy(name, r);
        PolicyStore.Saved saved = store.put(tenant, p, r.ifUpdatedAt());
        return Response.status(saved.created() ? 201 : 200).entity(saved.policy()).build();
    }

    @GET
    @Path("{name}")
    public Policy get(@HeaderParam(Names.TENANT_HEADER) String tenant, @PathParam("name") String name,
            @QueryParam("include") String include) {
        Identifiers.tenant(tenant);
        Identifiers.collection(name);
        if (include != null && !include.equals("vectors")) {
            throw new ProblemException(CommonProblem.INVALID_REQUEST, "include may only be vectors.");
        }
        return store.get(tenant, name, "vectors".equals(include)).orElseThrow(() -> notFound(name));
    }

    @DELETE
    @Path("{name}")
    public Response delete(@HeaderParam(Names.TENANT_HEADER) String tenant, @PathParam("name") String name) {
        Identifiers.tenant(tenant);
        Identifiers.collection(name);
        if (!store.delete(tenant, name)) {
            throw notFound(name);
        }
        return Response.noContent().build();
    }

    private static ProblemException notFound(String name) {
        return new ProblemException(CommonProblem.NOT_FOUND, "Moderation policy " + name + " does not exist.");
    }
}
