package dev.sightline.embed.api;

import com.fasterxml.jackson.annotation.JsonIgnoreProperties;
import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonUnwrapped;
import dev.sightline.embed.ModelInfo;
import dev.sightline.embed.inference.ClipEncoder;
import dev.sightline.embed.inference.Encoders;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.MediaType;
import java.util.List;

/** What models are served and how: {@code {"defaultModel", "models": [{id, state, ...ModelInfo}]}}. */
@Path("/model")
@Produces(MediaType.APPLICATION_JSON)
public class ModelResource {

    /** The served models, the default first. */
    public record ServedModels(String defaultModel, List<ServedModel> models) {
    }

    /**
     * One model: {@code state} is {@code loading}, {@code ready} or {@code failed} (with {@code failure}); the
     * description ({@link ModelInfo}'s fields) once it is loaded.
     */
    @JsonInclude(JsonInclude.Include.NON_NULL)
    public record ServedModel(String id, String state, String failure,
            @JsonUnwrapped @JsonIgnoreProperties("id") ModelInfo info) {
    }

    private final Encoders encoders;

    public ModelResource(Encoders encoders) {
        this.encoders = encoders;
    }

    @GET
    public ServedModels models() {
        return new ServedModels(encoders.defaultId(), encoders.all().stream().map(ModelResource::served).toList());
    }

    private static ServedModel served(ClipEncoder e) {
        if (e.ready()) {
            return new ServedModel(e.id(), "ready", null, e.info());
        }
        String failure = e.failure();
        return new ServedModel(e.id(), failure == null ? "loading" : "failed", failure, null);
    }
}
