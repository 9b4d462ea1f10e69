package dev.sightline.embed.api;

import dev.sightline.common.zeroshot.Prediction;
import java.util.List;

/** Zero-shot predictions, highest score first. */
public record ClassifyResponse(String model, List<Prediction> predictions) {
}
