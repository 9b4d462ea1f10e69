package dev.sightline.embed.api;

import dev.sightline.common.hash.Sha256;
import dev.sightline.common.problem.ProblemException;
import dev.sightline.embed.Encoder;
import dev.sightline.embed.inference.Encoders;
import dev.sightline.common.problem.CommonProblem;
import dev.sightline.embed.Futures;
import dev.sightline.embed.ImageEmbedding;
import dev.sightline.embed.TextEmbedding;
import dev.sightline.embed.image.ImageFormat;
import dev.sightline.embed.image.Thumbnail;
import jakarta.validation.Valid;
import jakarta.validation.constraints.NotNull;
import jakarta.ws.rs.Consumes;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.MediaType;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import org.jboss.resteasy.reactive.RestForm;
import org.jboss.resteasy.reactive.multipart.FileUpload;

/** Text and image embeddings. */
@Path("/embed")
@Produces(MediaType.APPLICATION_JSON)
public class EmbedResource {

    private final Encoders encoders;
    private final RequestLimits limits;

    public EmbedResource(Encoders encoders, RequestLimits limits) {
        this.encoders = encoders;
        this.limits = limits;
    }

    @POST
    @Path("/text")
    @Consumes(MediaType.APPLICATION_JSON)
    public EmbedResponse text(@Valid @NotNull TextEmbedRequest request) {
        limits.checkTexts(request.texts());
        Encoder encoder = encoders.get(request.model());
        List<TextEmbedding> result = Futures.await(encoder.embedTexts(request.texts()));
        List<float[]> vectors = result.stream().map(TextEmbedding::vector).toList();
        return new EmbedResponse(encoder.info().id(), vectors.get(0).length,
                EmbeddingFormat.encode(vectors, request.encoding()), result.stream().map(TextEmbedding::tokens).toList(),
                null, null);
    }

    @POST
    @Path("/image")
    @Consumes(MediaType.APPLICATION_JSON)
    public EmbedResponse image(@Valid @NotNull ImageEmbedRequest request) {
        limits.checkImageCount(request.images().size());
        Encoder encoder = encoders.get(request.model());
        List<byte[]> images = new ArrayList<>(request.images().size());
        for (int i = 0; i < request.images().size(); i++) {
            try {
                images.add(ImagePayloads.decode(request.images().get(i), limits.maxImageBytes()));
            } catch (ProblemException e) {
                throw new ProblemException(e.code(), "Image " + i + ": " + e.getMessage());
            }
        }
        return images(encoder, images, request.encoding(), Boolean.TRUE.equals(request.thumbnails()),
                Boolean.TRUE.equals(request.sources()));
    }

    @POST
    @Path("/image")
    @Consumes(MediaType.MULTIPART_FORM_DATA)
    public EmbedResponse imageUpload(@RestForm(FileUpload.ALL) List<FileUpload> files, @RestForm String encoding,
            @RestForm String model) {
        Encoder encoder = encoders.get(model);
        if (encoding != null && !encoding.equals("float") && !encoding.equals("base64")) {
            throw new ProblemException(CommonProblem.INVALID_REQUEST, "encoding must be float or base64.");
        }
        limits.checkImageCount(files == null ? 0 : files.size());
        List<byte[]> images = new ArrayList<>(files.size());
        for (FileUpload f : files) {
            if (f.size() > limits.maxImageBytes()) {
                throw new ProblemException(CommonProblem.PAYLOAD_TOO_LARGE,
                        "File " + f.fileName() + " exceeds " + limits.maxImageBytes() + " bytes.");
            }
            try {
                images.add(Files.readAllBytes(f.uploadedFile()));
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
        }
        return images(encoder, images, encoding, false, false);
    }

    private static EmbedResponse images(Encoder encoder, List<byte[]> images, String encoding, boolean thumbnails,
            boolean sources) {
        List<ImageEmbedding> result = Futures.await(encoder.embedImages(images, thumbnails));
        List<float[]> vectors = result.stream().map(ImageEmbedding::vector).toList();
        List<EmbedResponse.ThumbnailView> small = !thumbnails ? null : result.stream().map(e -> {
            Thumbnail t = e.thumbnail();
            return new EmbedResponse.ThumbnailView(Thumbnail.CONTENT_TYPE, t.width(), t.height(),
                    Base64.getEncoder().encodeToString(t.jpeg()));
        }).toList();
        // Every image was decoded, so each has a known signature.
        List<EmbedResponse.SourceView> received = !sources ? null : images.stream().map(b ->
                new EmbedResponse.SourceView(ImageFormat.sniff(b).mimeType(), Sha256.hex(b))).toList();
        return new EmbedResponse(encoder.info().id(), vectors.get(0).length, EmbeddingFormat.encode(vectors, encoding),
                null, small, received);

    }
}
