package dev.sightline.embed.api;

import dev.sightline.embed.Encoder;
import dev.sightline.embed.inference.Encoders;
import dev.sightline.embed.classify.ZeroShotClassifier;
import jakarta.validation.Valid;
import jakarta.validation.constraints.NotNull;
import jakarta.ws.rs.Consumes;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.MediaType;

/** Zero-shot classification of an image against text labels. */
@Path("/classify")
@Produces(MediaType.APPLICATION_JSON)
@Consumes(MediaType.APPLICATION_JSON)
public class ClassifyResource {

    private final ZeroShotClassifier classifier;
    private final Encoders encoders;
    private final RequestLimits limits;

    public ClassifyResource(ZeroShotClassifier classifier, Encoders encoders, RequestLimits limits) {
        this.classifier = classifier;
        this.encoders = encoders;
        this.limits = limits;
    }

    @POST
    @Path("/labels")
    public LabelsResponse labels(@Valid @NotNull LabelsRequest request) {
        java.util.List<String> templates = request.templates() == null || request.templates().isEmpty()
                ? java.util.List.of(classifier.defaultTemplate()) : request.templates();
        Encoder encoder = encoders.get(request.model());
        return new LabelsResponse(encoder.info().id(), encoder.info().logitScale(), templates,
                classifier.labelVectors(encoder, request.labels(), templates));
    }

    @POST
    public ClassifyResponse classify(@Valid @NotNull ClassifyRequest request) {
        Encoder encoder = encoders.get(request.model());
        byte[] image = ImagePayloads.decode(request.image(), limits.maxImageBytes());
        return new ClassifyResponse(encoder.info().id(),
                classifier.classify(encoder, image, request.labels(), request.templates(), request.topK()));
    }
}
