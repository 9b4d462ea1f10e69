package dev.sightline.retrieval.api;

import dev.sightline.common.naming.Names;
import dev.sightline.common.problem.CommonProblem;
import dev.sightline.common.problem.ProblemException;
import dev.sightline.retrieval.Classifier;
import dev.sightline.retrieval.Identifiers;
import dev.sightline.retrieval.store.ClassifierStore;
import dev.sightline.retrieval.store.PgVectors;
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
import java.util.HashSet;

/** Saved zero-shot classifiers of the calling tenant. */
@Path("/classifiers")
@Produces(MediaType.APPLICATION_JSON)
public class ClassifierResource {

    private final ClassifierStore store;
    private final RequestChecks checks;

    public ClassifierResource(ClassifierStore store, RequestChecks checks) {
        this.store = store;
        this.checks = checks;
    }

    /** The tenant's classifiers by name, without label vectors. */
    @GET
    public ClassifierList list(@HeaderParam(Names.TENANT_HEADER) String tenant) {
        Identifiers.tenant(tenant);
        return new ClassifierList(store.list(tenant));
    }

    @PUT
    @Path("{name}")
    @Consumes(MediaType.APPLICATION_JSON)
    public Response put(@HeaderParam(Names.TENANT_HEADER) String tenant, @PathParam("name") String name,
            @Valid @NotNull ClassifierRequest r) {
        Identifiers.tenant(tenant);
        Identifiers.collection(name);
        checks.classifier(r);
        if (r.labelVectors().size() != r.labels().size() || new HashSet<>(r.labels()).size() != r.labels().size()) {
            throw new ProblemException(CommonProblem.INVALID_REQUEST, "Give distinct labels and one vector per label.");
        }
        int dim = r.labelVectors().get(0).length;
        for (int i = 0; i < r.labelVectors().size(); i++) {
            PgVectors.check(r.labelVectors().get(i), dim, "label_vectors[" + i + "]");
        }
        boolean created = store.put(tenant, new Classifier(name, r.model(), r.labels(), r.templates(), r.labelVectors(),
                null, null));
        Classifier saved = store.get(tenant, name, false).orElseThrow();
        return Response.status(created ? 201 : 200).entity(saved).build();
    }

    @GET
    @Path("{name}")
    public Classifier get(@HeaderParam(Names.TENANT_HEADER) String tenant, @PathParam("name") String name,
            @QueryParam("include") String include) {
        Identifiers.tenant(tenant);
        Identifiers.collection(name);
        return store.get(tenant, name, "vectors".equals(include)).orElseThrow(
                () -> new ProblemException(CommonProblem.NOT_FOUND, "Classifier " + name + " does not exist."));
    }

    @DELETE
    @Path("{name}")
    public Response delete(@HeaderParam(Names.TENANT_HEADER) String tenant, @PathParam("name") String name) {
        Identifiers.tenant(tenant);
        Identifiers.collection(name);
        if (!store.delete(tenant, name)) {
            throw new ProblemException(CommonProblem.NOT_FOUND, "Classifier " + name + " does not exist.");
        }
        return Response.noContent().build();
    }
}
