package dev.sightline.embed.inference;

import ai.onnxruntime.OnnxJavaType;

/**
 * One input or output of an ONNX model as its session describes it.
 *
 * @param shape dimensions, -1 where the model leaves a dimension dynamic
 */
public record TensorSpec(String name, OnnxJavaType type, long[] shape) {

    /** The fixed size of a dimension, or -1 when it is dynamic (or absent). */
    public int fixed(int axis) {
        return axis < shape.length && shape[axis] > 0 ? (int) shape[axis] : -1;
    }
}
