package dev.sightline.embed.inference;

import dev.sightline.embed.batching.BatchRunner;
import jakarta.enterprise.context.ApplicationScoped;
import java.nio.file.Path;

/**
 * Opens the encoders' model runners, one per batching worker, on that worker's thread. A bean of its own so
 * that a test profile can put runners that fail in their place.
 */
@ApplicationScoped
public class ModelRunners {

    /** A runner of the text encoder in {@code file}. */
    public BatchRunner<int[]> text(Path file, RuntimeOptions options) {
        return new TextBatchRunner(OnnxModel.load(file, options));
    }

    /** A runner of the image encoder in {@code file}, for crops of {@code height} x {@code width}. */
    public BatchRunner<float[]> image(Path file, RuntimeOptions options, int height, int width) {
        return new ImageBatchRunner(OnnxModel.load(file, options), height, width);
    }
}
