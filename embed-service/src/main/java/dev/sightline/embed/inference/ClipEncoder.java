package dev.sightline.embed.inference;

import ai.onnxruntime.OrtEnvironment;
import ai.onnxruntime.OrtProvider;
import dev.sightline.common.problem.ProblemException;
import dev.sightline.embed.EmbedProblem;
import dev.sightline.embed.Encoder;
import dev.sightline.embed.Futures;
import dev.sightline.embed.ImageEmbedding;
import dev.sightline.embed.ModelInfo;
import dev.sightline.embed.TextEmbedding;
import dev.sightline.embed.Vectors;
import dev.sightline.embed.batching.BatchQueue;
import dev.sightline.embed.batching.BatchRunner;
import dev.sightline.embed.config.EmbedConfig;
import dev.sightline.embed.image.ClipPreprocessor;
import dev.sightline.embed.image.DecodingBudget;
import dev.sightline.embed.image.ImageDecoder;
import dev.sightline.embed.image.ImageLimits;
import dev.sightline.embed.image.PreprocessConfig;
import dev.sightline.embed.image.Thumbnail;
import dev.sightline.embed.image.TurboJpeg;
import dev.sightline.embed.model.ModelFolder;
import dev.sightline.embed.model.ModelFolderReader;
import dev.sightline.embed.text.ClipTokenizer;
import io.micrometer.core.instrument.MeterRegistry;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;
import org.jboss.logging.Logger;

/**
 * The CLIP engine of one model folder: loads it in the background ({@link #start()}), then tokenises and
 * preprocesses on the caller's thread and runs the encoders through one batching queue each. {@link Encoders}
 * makes one per served model.
 */
public class ClipEncoder implements Encoder {

    private static final Logger LOG = Logger.getLogger(ClipEncoder.class);

    private final EmbedConfig config;
    private final MeterRegistry registry;
    private final ModelRunners runners;
    private final DecodingBudget decoding;
    private final Path dir;
    private final String id;
    private volatile Loaded loaded;
    private volatile String failure;

    /** Everything that exists once the model is loaded. */
    private record Loaded(ClipTokenizer tokenizer, ClipPreprocessor preprocessor, TurboJpeg jpeg,
            ImageLimits imageLimits, BatchQueue<int[]> text, BatchQueue<float[]> image, ModelInfo info) {
    }

    /**
     * @param id the id the API knows the model by
     * @param decoding the decoded-pixel budget, shared by every model of the service
     */
    public ClipEncoder(Path dir, String id, EmbedConfig config, MeterRegistry registry, ModelRunners runners,
            DecodingBudget decoding) {
        this.dir = dir;
        this.id = id;
        this.config = config;
        this.registry = registry;
        this.runners = runners;
        this.decoding = decoding;
    }

    /** The id the API knows this model by (known before it is loaded). */
    public String id() {
        return id;
    }

    /** The model folder. */
    public Path dir() {
        return dir;
    }

    /** Loads the model on a thread of its own. */
    public void start() {
        Thread t = new Thread(this::load, "model-loader-" + id);
        t.setDaemon(true);
        t.start();
    }

    /** Stops the encoders' workers. */
    public void close() {
        Loaded l = loaded;
        loaded = null;
        if (l != null) {
            l.text().close();
            l.image().close();
            l.tokenizer().close();
        }
    }

    private void load() {
        long start = System.nanoTime();
        try {
            Loaded l = open(dir);
            if (config.runtime().warmUp()) {
                warmUp(l);
            }
            loaded = l;
            LOG.infof("model %s (%s layout, %d dimensions) ready on %s in %d ms", l.info().id(), l.info().layout(),
                    l.info().dimensions(), l.info().executionProvider(), (System.nanoTime() - start) / 1_000_000);
        } catch (Throwable e) {
            failure = e.getMessage();
            LOG.errorf(e, "model %s failed to load from %s", id, dir);
        }
    }

    private Loaded open(Path dir) {
        ModelFolder folder = ModelFolderReader.read(dir);
        TurboJpeg jpeg = jpegDecoder();
        RuntimeOptions options = runtimeOptions();
        ClipTokenizer tokenizer = new ClipTokenizer(folder.tokenizer(), folder.contextLength());
        PreprocessConfig pre = folder.preprocess();
        EmbedConfig.Batching tb = config.text();
        EmbedConfig.Batching ib = config.image();
        List<String> providers = new CopyOnWriteArrayList<>();
        // The two encoders load in parallel: each queue's workers create their sessions on their own threads.
        CompletableFuture<BatchQueue<float[]>> imageQueue = CompletableFuture.supplyAsync(() -> new BatchQueue<>(
                "image", id, ib.queueCapacity(), ib.maxBatchSize(), ib.maxWait(), ib.loadWait(), ib.loadWaitFraction(),
                ib.workers(),
                () -> runners.image(folder.visionModel(), options, pre.cropHeight(), pre.cropWidth()), registry));
        BatchQueue<int[]> text = new BatchQueue<>("text", id, tb.queueCapacity(), tb.maxBatchSize(), tb.maxWait(),
                tb.loadWait(), tb.loadWaitFraction(), tb.workers(), () -> {
                    BatchRunner<int[]> r = runners.text(folder.textModel(), options);
                    providers.add(r.executionProvider());
                    return r;
                }, registry);
        BatchQueue<float[]> image = Futures.await(imageQueue);
        float[] probe = text.submit(List.of(tokenizer.encode("a photo"))).get(0).join();
        EmbedConfig.Limits lim = config.limits();
        ModelInfo info = new ModelInfo(id, folder.layout().name().toLowerCase(), probe.length,
                List.of("text", "image"), pre.cropHeight(), folder.contextLength(), folder.logitScale().orElse(config.model().logitScale()),
                providers.isEmpty() ? "unknown" : providers.get(0), jpeg == null ? "jdk-imageio" : "libjpeg-turbo",
                batching(text, tb), batching(image, ib));
        return new Loaded(tokenizer, new ClipPreprocessor(pre), jpeg,
                new ImageLimits(lim.maxImageBytes(), lim.maxImagePixels(), lim.minImageSide()), text, image, info);
    }

    private static ModelInfo.Batching batching(BatchQueue<?> q, EmbedConfig.Batching b) {
        return new ModelInfo.Batching(q.maxBatch(), b.maxWait().toNanos() / 1e6, q.capacity(), b.workers());
    }

    /** libjpeg-turbo when configured or (auto) installed; null for the JDK's decoder. */
    private TurboJpeg jpegDecoder() {
        EmbedConfig.Decoding d = config.decoding();
        if (d.jpeg() == EmbedConfig.JpegDecoder.jdk) {
            return null;
        }
        try {
            TurboJpeg turbo = TurboJpeg.load(Path.of(d.turbojpegJar()), Path.of(d.turbojpegLibrary()));
            LOG.infof("JPEG decoding with libjpeg-turbo (%s)", turbo.jar());
            return turbo;
        } catch (IllegalStateException e) {
            if (d.jpeg() == EmbedConfig.JpegDecoder.turbojpeg) {
                throw new IllegalStateException("decoding.jpeg=turbojpeg but " + e.getMessage(), e);
            }
            LOG.warnf("JPEG decoding with the JDK's ImageIO, about 3x slower decoding photos: %s", e.getMessage());
            return null;
        }
    }

    private RuntimeOptions runtimeOptions() {
        EmbedConfig.Runtime rt = config.runtime();
        boolean cudaBuilt = OrtEnvironment.getAvailableProviders().contains(OrtProvider.CUDA);
        if (rt.device() == EmbedConfig.Device.gpu && !cudaBuilt) {
            throw new IllegalStateException("device=gpu but this ONNX Runtime has no CUDA provider (build with -Pgpu)");
        }
        EmbedConfig.Device device = rt.device() == EmbedConfig.Device.auto && !cudaBuilt ? EmbedConfig.Device.cpu
                : rt.device();
        return new RuntimeOptions(rt.intraOpThreads(), rt.interOpThreads(), rt.allowSpinning(), device, rt.gpuDeviceId());
    }

    private void warmUp(Loaded l) {
        int n = l.info().imageSize();
        float[] pixels = new float[3 * n * n];
        float[] img = l.image().submit(List.of(pixels)).get(0).join();
        if (img.length != l.info().dimensions()) {
            throw new IllegalStateException("image embedding has " + img.length + " dimensions, text "
                    + l.info().dimensions() + ": not one shared space");
        }
    }

    @Override
    public boolean ready() {
        return loaded != null && stoppedQueue() == null;
    }

    /** Why the service is not ready (the model failed to load, or an encoder stopped), or null. */
    public String failure() {
        BatchQueue<?> q = stoppedQueue();
        return q != null ? "the " + q.name() + " encoder stopped: " + q.failure() : failure;
    }

    /** The encoder ("text" or "image") whose worker stopped on an error, or null. */
    public String stoppedEncoder() {
        BatchQueue<?> q = stoppedQueue();
        return q == null ? null : q.name();
    }

    private BatchQueue<?> stoppedQueue() {
        Loaded l = loaded;
        if (l == null) {
            return null;
        }
        return l.text().failure() != null ? l.text() : l.image().failure() != null ? l.image() : null;
    }

    @Override
    public ModelInfo info() {
        return state().info();
    }

    @Override
    public CompletableFuture<List<TextEmbedding>> embedTexts(List<String> texts) {
        Loaded l = state();
        List<int[]> ids = new ArrayList<>(texts.size());
        for (String t : texts) {
            ids.add(l.tokenizer().encode(t));
        }
        List<CompletableFuture<float[]>> futures = l.text().submit(ids);
        return CompletableFuture.allOf(futures.toArray(CompletableFuture[]::new)).thenApply(v -> {
            List<TextEmbedding> out = new ArrayList<>(futures.size());
            for (int i = 0; i < futures.size(); i++) {
                out.add(new TextEmbedding(Vectors.normalize(futures.get(i).join()), ids.get(i).length));
            }
            return out;
        });
    }

    @Override
    public CompletableFuture<List<ImageEmbedding>> embedImages(List<byte[]> images, boolean thumbnails) {
        Loaded l = state();
        EmbedConfig.Thumbnail spec = config.thumbnail();
        List<float[]> tensors = new ArrayList<>(images.size());
        List<Thumbnail> small = new ArrayList<>(images.size());
        for (int i = 0; i < images.size(); i++) {
            try {
                // Images are decoded one after another, so a request holds at most one image's pixels of the budget.
                // A thumbnail is made from the same decoded pixels while they are held.
                tensors.add(ImageDecoder.decode(images.get(i), l.imageLimits(), decoding, l.jpeg(), rgb -> {
                    small.add(thumbnails ? Thumbnail.of(rgb, spec.maxSide(), spec.quality()) : null);
                    return l.preprocessor().preprocess(rgb);
                }));
            } catch (ProblemException e) {
                throw images.size() == 1 ? e
                        : new ProblemException(e.code(), "Image " + i + ": " + e.getMessage(), e);
            }
        }
        List<CompletableFuture<float[]>> futures = l.image().submit(tensors);
        return CompletableFuture.allOf(futures.toArray(CompletableFuture[]::new)).thenApply(v -> {
            List<ImageEmbedding> out = new ArrayList<>(futures.size());
            for (int i = 0; i < futures.size(); i++) {
                out.add(new ImageEmbedding(Vectors.normalize(futures.get(i).join()), small.get(i)));
            }
            return out;
        });
    }

    private Loaded state() {
        Loaded l = loaded;
        if (l == null) {
            throw new ProblemException(EmbedProblem.NOT_READY,
                    failure == null ? "The model " + id + " is still loading." : "The model " + id + " failed to load.");
        }
        return l;
    }
}
