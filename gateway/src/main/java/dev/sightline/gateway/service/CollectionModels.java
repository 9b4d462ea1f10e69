package dev.sightline.gateway.service;

import dev.sightline.gateway.client.EmbedClient;
import dev.sightline.gateway.client.ModelInfo;
import io.smallrye.mutiny.Uni;
import io.vertx.core.json.JsonObject;
import jakarta.enterprise.context.ApplicationScoped;

/**
 * The model a collection's texts and images are embedded with: its own, whatever the default. A collection of a
 * model that is not served takes vectors only, and saying so is a 400 (the collection exists, and nothing is
 * missing on the platform's side for a vector).
 */
@ApplicationScoped
public class CollectionModels {

    private final EmbedClient embed;

    public CollectionModels(EmbedClient embed) {
        this.embed = embed;
    }

    /** The collection's model id when it is served (null for a collection that names none: the default). */
    public Uni<String> of(String collection, JsonObject view) {
        String model = view.getString("model");
        if (model == null) {
            return Uni.createFrom().nullItem();
        }
        return embed.models().map(served -> {
            if (served.stream().anyMatch(m -> m.id().equals(model))) {
                return model;
            }
            throw Problems.invalid("Collection " + collection + " uses the model " + model + ", which is not served"
                    + " here (" + String.join(", ", served.stream().map(ModelInfo::id).toList()) + "): it takes"
                    + " vectors only, as items and as search queries, or searches by item_id.");
        });
    }
}
