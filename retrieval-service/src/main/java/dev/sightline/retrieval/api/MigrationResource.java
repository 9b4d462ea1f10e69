package dev.sightline.retrieval.api;

import dev.sightline.common.naming.Names;
import dev.sightline.common.problem.CommonProblem;
import dev.sightline.common.problem.ProblemException;
import dev.sightline.retrieval.Identifiers;
import dev.sightline.retrieval.migration.MigrationWorker;
import dev.sightline.retrieval.store.MigrationStore;
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
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;
import java.util.UUID;

/** Migrations of a collection of the calling tenant to another model: start, follow, cancel. */
@Path("/collections/{name}/migrations")
@Produces(MediaType.APPLICATION_JSON)
public class MigrationResource {

    private final MigrationStore store;
    private final MigrationWorker worker;

    public MigrationResource(MigrationStore store, MigrationWorker worker) {
        this.store = store;
        this.worker = worker;
    }

    /** 202 with the queued job; the worker picks it up at once. */
    @POST
    @Consumes(MediaType.APPLICATION_JSON)
    public Response start(@HeaderParam(Names.TENANT_HEADER) String tenant, @PathParam("name") String name,
            @Valid @NotNull MigrationRequest request) {
        Identifiers.tenant(tenant);
        Identifiers.collection(name);
        if (request.model().length() > 200 || request.dimension() < 1 || request.dimension() > 2000) {
            throw new ProblemException(CommonProblem.INVALID_REQUEST,
                    "model must have 1 to 200 characters and dimension be from 1 to 2000.");
        }
        MigrationView view = MigrationView.of(store.start(tenant, name, request.model(), request.dimension()));
        worker.wake();
        return Response.status(202).entity(view).build();
    }

    @GET
    @Path("/{id}")
    public MigrationView get(@HeaderParam(Names.TENANT_HEADER) String tenant, @PathParam("name") String name,
            @PathParam("id") String id) {
        Identifiers.tenant(tenant);
        Identifiers.collection(name);
        return MigrationView.of(store.get(tenant, name, uuid(id)));
    }

    /** Cancels a queued or running migration: the collection stays on its model; 409 for a finished one. */
    @DELETE
    @Path("/{id}")
    public MigrationView cancel(@HeaderParam(Names.TENANT_HEADER) String tenant, @PathParam("name") String name,
            @PathParam("id") String id) {
        Identifiers.tenant(tenant);
        Identifiers.collection(name);
        return MigrationView.of(store.cancel(tenant, name, uuid(id)));
    }

    private static UUID uuid(String id) {
        try {
            if (id.length() == 36) {
                return UUID.fromString(id);
            }
        } catch (IllegalArgumentException e) {
            // answered below
        }
        throw new ProblemException(CommonProblem.NOT_FOUND, "Migration " + id + " does not exist.");
    }
}
