package dev.sightline.embed.batching;

import java.util.List;

/** Runs one model batch; created on, and used by, a single worker thread. */
public interface BatchRunner<I> extends AutoCloseable {

    /** Most items the model accepts at once, or -1 when its batch axis is dynamic. */
    int fixedBatchSize();

    /** The ONNX Runtime execution provider the model runs on (CPU, CUDA). */
    String executionProvider();

    /** One embedding row per input, in order. */
    float[][] run(List<I> inputs);

    @Override
    void close();
}
