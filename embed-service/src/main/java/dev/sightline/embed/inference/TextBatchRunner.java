package dev.sightline.embed.inference;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import ai.onnxruntime.OnnxJavaType;
import dev.sightline.embed.batching.BatchRunner;
import java.util.List;

/** Feeds token id sequences to a text encoder, in the id type, names and fixed sizes its session declares. */
public final class TextBatchRunner implements BatchRunner<int[]> {

    private final OnnxModel model;
    private final TensorSpec ids;
    private final TensorSpec mask;

    public TextBatchRunner(OnnxModel model) {
        this.model = model;
        TensorSpec idSpec = null;
        TensorSpec maskSpec = null;
        for (TensorSpec in : model.inputs()) {
            if (in.name().toLowerCase().contains("mask")) {
                maskSpec = in;
            } else if (idSpec == null) {
                idSpec = in;
            }
        }
        if (idSpec == null || (idSpec.type() != OnnxJavaType.INT64 && idSpec.type() != OnnxJavaType.INT32)) {
            throw new IllegalStateException("text model needs an int32 or int64 token id input, has " + model.inputs());
        }
        this.ids = idSpec;
        this.mask = maskSpec;
    }

    @Override
    public String executionProvider() {
        return model.provider();
    }

    @Override
    public int fixedBatchSize() {
        return ids.fixed(0);
    }

    /** Fixed sequence length of the model, or -1. */
    public int fixedSequenceLength() {
        return ids.fixed(1);
    }

    @Override
    public float[][] run(List<int[]> inputs) {
        int rows = Math.max(inputs.size(), fixedBatchSize());
        int len = fixedSequenceLength();
        if (len < 0) {
            len = inputs.stream().mapToInt(a -> a.length).max().orElse(1);
        }
        // Padding id 0 after <|endoftext|>: causal CLIP text towers pool at the end token, so padding never
        // reaches the embedding; models that take an attention mask get it as well.
        int[] flatIds = new int[rows * len];
        int[] flatMask = new int[rows * len];
        for (int r = 0; r < inputs.size(); r++) {
            int[] a = inputs.get(r);
            int n = Math.min(a.length, len);
            System.arraycopy(a, 0, flatIds, r * len, n);
            for (int j = 0; j < n; j++) {
                flatMask[r * len + j] = 1;
            }
        }
        try (NDManager m = model.newManager()) {
            Shape shape = new Shape(rows, len);
            NDList list = new NDList();
            for (TensorSpec in : model.inputs()) {
                int[] data = in == mask ? flatMask : flatIds;
                NDArray arr = in.type() == OnnxJavaType.INT32 ? m.create(data, shape) : m.create(toLong(data), shape);
                arr.setName(in.name());
                list.add(arr);
            }
            float[][] out = model.run(list, rows);
            return rows == inputs.size() ? out : java.util.Arrays.copyOf(out, inputs.size());
        }
    }

    private static long[] toLong(int[] a) {
        long[] l = new long[a.length];
        for (int i = 0; i < a.length; i++) {
            l[i] = a[i];
        }
        return l;
    }

    @Override
    public void close() {
        model.close();
    }
}
