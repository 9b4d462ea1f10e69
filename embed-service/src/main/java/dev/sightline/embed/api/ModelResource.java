package dev.sightline.embed.api;

import dev.sightline.embed.Encoder;
import dev.sightline.embed.ModelInfo;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.MediaType;

/** What model is served and how. */
@Path("/model")
@Produces(MediaType.APPLICATION_JSON)
public class ModelResource {

    private final Encoder encoder;

    public ModelResource(Encoder encoder) {
        this.encoder = encoder;
    }

    @GET
    public ModelInfo model() {
        return encoder.info();
    }
}
