package dev.sightline.embed;

import java.util.List;
import java.util.concurrent.CompletableFuture;

/** The narrow interface between the HTTP layer and the CLIP engine. */
public interface Encoder {

    /** What is loaded and how it runs; throws {@link EmbedProblem#NOT_READY} before the model is loaded. */
    ModelInfo info();

    /** Whether the model is loaded and passed its warm-up inference. */
    boolean ready();

    /** L2-normalised embeddings of texts, with their token counts, in order. */
    CompletableFuture<List<TextEmbedding>> embedTexts(List<String> texts);

    /** L2-normalised embeddings of encoded images (PNG, JPEG, GIF, BMP, WebP), in order. */
    default CompletableFuture<List<float[]>> embedImages(List<byte[]> images) {
        return embedImages(images, false).thenApply(l -> l.stream().map(ImageEmbedding::vector).toList());
    }

    /** The same, each with its JPEG thumbnail when {@code thumbnails} (from the same decoded pixels). */
    CompletableFuture<List<ImageEmbedding>> embedImages(List<byte[]> images, boolean thumbnails);
}
