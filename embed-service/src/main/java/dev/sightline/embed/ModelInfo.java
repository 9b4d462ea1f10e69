package dev.sightline.embed;

import java.util.List;

/** A loaded model as the API describes it. */
public record ModelInfo(
        String id,
        String layout,
        int dimensions,
        List<String> modalities,
        int imageSize,
        int contextLength,
        float logitScale,
        String executionProvider,
        String jpegDecoder,
        Batching textBatching,
        Batching imageBatching) {

    /** Batching settings of one encoder as they are in effect (capped by fixed model batch sizes). */
    public record Batching(int maxBatchSize, double maxWaitMs, int queueCapacity, int workers) {
    }
}
