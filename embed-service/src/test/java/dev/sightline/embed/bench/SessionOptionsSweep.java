package dev.sightline.embed.bench;

import ai.onnxruntime.OnnxTensor;
import ai.onnxruntime.OrtEnvironment;
import ai.onnxruntime.OrtException;
import ai.onnxruntime.OrtSession;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.FloatBuffer;
import java.util.List;
import java.util.Map;
import java.util.Random;

/**
 * The ONNX Runtime session levers, one at a time, on one image model at one batch size (benchmark, not a test):
 * the service's settings (all graph optimisations, arena, pre-packed weights, memory patterns, no spinning) against
 * each one changed. Every configuration runs twice, interleaved, so a drift of the machine shows as disagreement
 * between the rounds rather than as a lever.
 *
 * <p>usage: SessionOptionsSweep VISION_ONNX BATCH SECONDS
 */
public final class SessionOptionsSweep {

    private static final List<String> LEVERS = List.of("service settings", "spinning on", "basic graph optimisation",
            "arena off", "pre-packing off", "memory patterns off");

    public static void main(String[] args) throws OrtException {
        String model = args[0];
        int batch = Integer.parseInt(args[1]);
        double seconds = Double.parseDouble(args[2]);
        OrtEnvironment env = OrtEnvironment.getEnvironment();
        float[] px = new float[batch * 3 * 224 * 224];
        Random r = new Random(1);
        for (int i = 0; i < px.length; i++) {
            px[i] = (float) r.nextGaussian();
        }
        FloatBuffer pixels = ByteBuffer.allocateDirect(px.length * 4).order(ByteOrder.nativeOrder()).asFloatBuffer();
        pixels.put(px).rewind();
        System.out.printf("ONNX Runtime %s, %s, batch %d, %.0f s per point%n", env.getVersion(), model, batch, seconds);
        for (int round = 1; round <= 2; round++) {
            for (String lever : LEVERS) {
                try (OrtSession.SessionOptions so = options(lever); OrtSession s = env.createSession(model, so)) {
                    String input = s.getInputNames().iterator().next();
                    long[] shape = {batch, 3, 224, 224};
                    run(env, s, input, pixels, shape);
                    long start = System.nanoTime();
                    long end = start + (long) (seconds * 1e9);
                    int items = 0;
                    while (System.nanoTime() < end) {
                        run(env, s, input, pixels, shape);
                        items += batch;
                    }
                    System.out.printf("round %d  %-26s %7.1f images/s%n", round, lever,
                            items / ((System.nanoTime() - start) / 1e9));
                }
            }
        }
    }

    private static OrtSession.SessionOptions options(String lever) throws OrtException {
        OrtSession.SessionOptions so = new OrtSession.SessionOptions();
        so.setInterOpNumThreads(1);
        so.setOptimizationLevel(lever.startsWith("basic") ? OrtSession.SessionOptions.OptLevel.BASIC_OPT
                : OrtSession.SessionOptions.OptLevel.ALL_OPT);
        String spin = lever.startsWith("spinning") ? "1" : "0";
        so.addConfigEntry("session.intra_op.allow_spinning", spin);
        so.addConfigEntry("session.inter_op.allow_spinning", spin);
        if (lever.startsWith("arena")) {
            so.setCPUArenaAllocator(false);
        }
        if (lever.startsWith("pre-packing")) {
            so.addConfigEntry("session.disable_prepacking", "1");
        }
        if (lever.startsWith("memory")) {
            so.setMemoryPatternOptimization(false);
        }
        return so;
    }

    private static void run(OrtEnvironment env, OrtSession s, String input, FloatBuffer pixels, long[] shape)
            throws OrtException {
        try (OnnxTensor t = OnnxTensor.createTensor(env, pixels, shape); OrtSession.Result out = s.run(Map.of(input, t))) {
            out.get(0);
        }
    }
}
