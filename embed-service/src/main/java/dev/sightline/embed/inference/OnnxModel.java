package dev.sightline.embed.inference;


import ai.djl.Model;
import ai.djl.inference.Predictor;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import ai.djl.onnxruntime.engine.OrtNDManager;
import ai.djl.onnxruntime.engine.OrtSymbolBlock;
import ai.djl.translate.NoopTranslator;
import ai.djl.translate.TranslateException;
import ai.onnxruntime.NodeInfo;
import ai.onnxruntime.OrtEnvironment;
import ai.onnxruntime.OrtException;
import ai.onnxruntime.OrtSession;
import ai.onnxruntime.TensorInfo;
import dev.sightline.embed.config.EmbedConfig.Device;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.jboss.logging.Logger;

/**
 * One ONNX encoder loaded through DJL's ONNX Runtime engine, with its signature read from the session.
 *
 * <p>Owned by exactly one thread: DJL predictors are not thread-safe.
 */
public final class OnnxModel implements AutoCloseable {

    private static final Logger LOG = Logger.getLogger(OnnxModel.class);

    private final Model model;
    private final Predictor<NDList, NDList> predictor;
    private final List<TensorSpec> inputs;
    private final TensorSpec output;
    private final String provider;

    private OnnxModel(Model model, OrtSession session, String provider) throws OrtException {
        this.model = model;
        this.predictor = model.newPredictor(new NoopTranslator());
        this.inputs = specs(session.getInputInfo());
        this.output = pickOutput(specs(session.getOutputInfo()));
        this.provider = provider;
    }

    /** Loads a model file with the given runtime options. */
    public static OnnxModel load(Path file, RuntimeOptions options) {
        Model model = Model.newInstance(file.getFileName().toString(), ai.djl.Device.cpu(), "OnnxRuntime");
        try {
            OrtSession.SessionOptions so = new OrtSession.SessionOptions();
            so.setOptimizationLevel(OrtSession.SessionOptions.OptLevel.ALL_OPT);
            if (options.intraOpThreads() > 0) {
                so.setIntraOpNumThreads(options.intraOpThreads());
            }
            if (options.interOpThreads() > 0) {
                so.setInterOpNumThreads(options.interOpThreads());
            }
            String spin = options.allowSpinning() ? "1" : "0";
            so.addConfigEntry("session.intra_op.allow_spinning", spin);
            so.addConfigEntry("session.inter_op.allow_spinning", spin);
            String provider = "CPUExecutionProvider";
            if (options.device() != Device.cpu) {
                try {
                    so.addCUDA(options.gpuDeviceId());
                    provider = "CUDAExecutionProvider";
                } catch (OrtException | RuntimeException e) {
                    if (options.device() == Device.gpu) {
                        throw new IllegalStateException("device=gpu but CUDA is not usable: " + e.getMessage(), e);
                    }
                    LOG.warnf("CUDA not usable (%s); running %s on CPU", e.getMessage(), file.getFileName());
                }
            }
            OrtSession session = OrtEnvironment.getEnvironment().createSession(file.toString(), so);
            model.setBlock(new OrtSymbolBlock(session, (OrtNDManager) model.getNDManager()));
            return new OnnxModel(model, session, provider);
        } catch (OrtException | RuntimeException e) {
            model.close();
            throw new IllegalStateException("cannot load " + file + ": " + e.getMessage(), e);
        }
    }

    /** The model's inputs, in session order. */
    public List<TensorSpec> inputs() {
        return inputs;
    }

    /** The embedding output. */
    public TensorSpec output() {
        return output;
    }

    /** The execution provider the session runs on. */
    public String provider() {
        return provider;
    }

    /** A scratch manager for one call's tensors; closing it frees them. */
    public NDManager newManager() {
        return model.getNDManager().newSubManager();
    }

    /** Runs the model on named inputs and returns the embedding output as rows of length {@code dim}. */
    public float[][] run(NDList namedInputs, int rows) {
        try {
            NDList out = predictor.predict(namedInputs);
            NDArray emb = out.get(output.name());
            if (emb == null) {
                emb = out.head();
            }
            Shape shape = emb.getShape();
            float[] flat = emb.toFloatArray();
            int dim = (int) shape.get(shape.dimension() - 1);
            float[][] result = new float[rows][dim];
            for (int i = 0; i < rows; i++) {
                System.arraycopy(flat, i * dim, result[i], 0, dim);
            }
            return result;
        } catch (TranslateException e) {
            throw new IllegalStateException("inference failed: " + e.getMessage(), e);
        }
    }

    @Override
    public void close() {
        predictor.close();
        model.close();
    }

    private static List<TensorSpec> specs(Map<String, NodeInfo> infos) {
        List<TensorSpec> list = new ArrayList<>();
        for (Map.Entry<String, NodeInfo> e : infos.entrySet()) {
            if (e.getValue().getInfo() instanceof TensorInfo t) {
                list.add(new TensorSpec(e.getKey(), t.type, t.getShape()));
            }
        }
        return List.copyOf(list);
    }

    /** The embedding: a rank-2 output, preferring names that say so (HF exports also emit hidden states). */
    private static TensorSpec pickOutput(List<TensorSpec> outputs) {
        TensorSpec fallback = null;
        for (TensorSpec o : outputs) {
            if (o.shape().length == 2) {
                String n = o.name().toLowerCase();
                if (n.contains("embed") || n.equals("output")) {
                    return o;
                }
                if (fallback == null) {
                    fallback = o;
                }
            }
        }
        if (fallback == null) {
            throw new IllegalStateException("no rank-2 embedding output among " + outputs.stream().map(TensorSpec::name).toList());
        }
        return fallback;
    }
}
