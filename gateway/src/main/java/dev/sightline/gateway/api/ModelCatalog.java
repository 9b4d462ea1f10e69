package dev.sightline.gateway.api;

import dev.sightline.gateway.client.Backends;
import io.smallrye.mutiny.Uni;
import io.vertx.core.http.HttpMethod;
import io.vertx.core.json.JsonObject;
import jakarta.enterprise.context.ApplicationScoped;
import java.time.Duration;

/** The served model as embed-service describes it, cached briefly. */
@ApplicationScoped
public class ModelCatalog {

    private static final long TTL_NANOS = Duration.ofSeconds(30).toNanos();

    private final Backends backends;
    private volatile JsonObject cached;
    private volatile long fetchedAt;

    public ModelCatalog(Backends backends) {
        this.backends = backends;
    }

    /** {id, dimensions, logitScale, …} of the served model. */
    public Uni<JsonObject> model() {
        JsonObject c = cached;
        if (c != null && System.nanoTime() - fetchedAt < TTL_NANOS) {
            return Uni.createFrom().item(c);
        }
        return backends.embed().call(HttpMethod.GET, "/model", null, null, true).map(r -> {
            cached = r.json();
            fetchedAt = System.nanoTime();
            return r.json();
        });
    }
}
