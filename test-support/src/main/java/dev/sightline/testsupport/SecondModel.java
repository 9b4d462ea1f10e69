package dev.sightline.testsupport;

import java.nio.file.Files;
import java.nio.file.Path;

/**
 * The second model the tests serve beside the bundled one: its 96-dimension projection, made from it by
 * {@code ./sightline test} into {@code .sightline/models/tiny-clip-p96} (models/README.md), not committed.
 */
public final class SecondModel {

    private SecondModel() {
    }

    /** The model folder under the project root; a clear failure when it was not made. */
    public static Path dir(Path root) {
        Path p = root.resolve(".sightline/models/tiny-clip-p96");
        if (!Files.isRegularFile(p.resolve("vision_model.onnx"))) {
            throw new IllegalStateException(p + " is missing: ./sightline test makes it (models/scripts/project.py)");
        }
        return p;
    }
}
