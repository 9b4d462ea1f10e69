package dev.sightline.embed.inference;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import ai.onnxruntime.OnnxJavaType;
import dev.sightline.embed.batching.BatchRunner;
import java.util.Arrays;
import java.util.List;

/** Feeds preprocessed CHW pixel tensors to an image encoder. */
public final class ImageBatchRunner implements BatchRunner<float[]> {

    private final OnnxModel model;
    private final TensorSpec pixels;
    private final int height;
    private final int width;

    public ImageBatchRunner(OnnxModel model, int height, int width) {
        this.model = model;
        if (model.inputs().size() != 1 || model.inputs().get(0).type() != OnnxJavaType.FLOAT) {
            throw new IllegalStateException("image model needs one float32 pixel input, has " + model.inputs());
        }
        this.pixels = model.inputs().get(0);
        this.height = pixels.fixed(2) > 0 ? pixels.fixed(2) : height;
        this.width = pixels.fixed(3) > 0 ? pixels.fixed(3) : width;
        if (this.height != height || this.width != width) {
            throw new IllegalStateException("image model expects " + this.height + "x" + this.width
                    + " but the preprocessing crops " + height + "x" + width);
        }
    }

    @Override
    public String executionProvider() {
        return model.provider();
    }

    @Override
    public int fixedBatchSize() {
        return pixels.fixed(0);
    }

    @Override
    public float[][] run(List<float[]> inputs) {
        int rows = Math.max(inputs.size(), fixedBatchSize());
        int size = 3 * height * width;
        float[] flat = new float[rows * size];
        for (int r = 0; r < inputs.size(); r++) {
            System.arraycopy(inputs.get(r), 0, flat, r * size, size);
        }
        try (NDManager m = model.newManager()) {
            NDArray arr = m.create(flat, new Shape(rows, 3, height, width));
            arr.setName(pixels.name());
            float[][] out = model.run(new NDList(arr), rows);
            return rows == inputs.size() ? out : Arrays.copyOf(out, inputs.size());
        }
    }

    @Override
    public void close() {
        model.close();
    }
}
