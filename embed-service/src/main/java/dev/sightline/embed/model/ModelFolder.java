package dev.sightline.embed.model;

import dev.sightline.embed.image.PreprocessConfig;
import java.nio.file.Path;
import java.util.Optional;

/**
 * A CLIP model folder, resolved: where its encoders and tokenizer are and how its images are preprocessed.
 *
 * @param logitScale the exp logit scale, when the folder names one
 * @param id the model id, when the folder names one
 */
public record ModelFolder(
        Path dir,
        ModelLayout layout,
        Path textModel,
        Path visionModel,
        Path tokenizer,
        PreprocessConfig preprocess,
        int contextLength,
        Optional<Float> logitScale,
        Optional<String> id) {
}
