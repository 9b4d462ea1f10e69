package dev.sightline.embed.config;

import io.smallrye.config.ConfigMapping;
import io.smallrye.config.WithDefault;
import java.time.Duration;
import java.util.List;
import java.util.Optional;

/** Every setting of embed-service, under the prefix {@code sightline.embed}. */
@ConfigMapping(prefix = "sightline.embed")
public interface EmbedConfig {

    /** The model to serve. */
    Model model();

    /** ONNX Runtime settings. */
    Runtime runtime();

    /** Dynamic batching of the text encoder. */
    Batching text();

    /** Dynamic batching of the image encoder. */
    Batching image();

    /** How images are decoded. */
    Decoding decoding();

    /** Request limits; anything over them is answered with a 4xx problem. */
    Limits limits();

    /** Zero-shot classification settings. */
    Classify classify();

    /** Thumbnails made from the decoded image when a request asks for them (kept media). */
    Thumbnail thumbnail();

    /** Thumbnail settings. */
    interface Thumbnail {
        /** Longest side in pixels; smaller images keep their size. */
        @WithDefault("256")
        int maxSide();

        /** JPEG quality, 1 to 100. */
        @WithDefault("85")
        int quality();
    }

    /** Model settings. */
    interface Model {
        /** Folder of the model (bundled tiny-clip, HF/Xenova or Immich layout); recognised by its files. */
        @WithDefault("models/tiny-clip")
        String dir();

        /** Logit scale (exp value) used when the model folder does not name one. */
        @WithDefault("100")
        float logitScale();

        /** Model id reported by the API when the model folder does not name one (default: the folder name). */
        Optional<String> id();

        /**
         * Further model folders served beside {@code dir}, comma-separated; each under the id its folder names (else
         * the folder's name), each with its own encoders and batching queues. Requests name one by id.
         */
        Optional<List<String>> extraDirs();
    }

    /** ONNX Runtime settings. */
    interface Runtime {
        /** Execution device: cpu, gpu (fail readiness if CUDA is not active) or auto (CUDA when available). */
        @WithDefault("auto")
        Device device();

        /** CUDA device ordinal used when running on GPU. */
        @WithDefault("0")
        int gpuDeviceId();

        /** Threads ONNX Runtime uses inside one operator; 0 lets ONNX Runtime decide (one per core). */
        @WithDefault("0")
        int intraOpThreads();

        /** Threads ONNX Runtime uses across independent operators; 0 lets ONNX Runtime decide. */
        @WithDefault("1")
        int interOpThreads();

        /**
         * Let ONNX Runtime's idle threads spin for work; faster for a dedicated inference box, wasteful when
         * request threads (decoding, resizing) share the cores.
         */
        @WithDefault("false")
        boolean allowSpinning();

        /** Run one inference per encoder at start and report ready only after it passed. */
        @WithDefault("true")
        boolean warmUp();
    }

    /** Image decoding settings. */
    interface Decoding {
        /**
         * JPEG decoder: turbojpeg (libjpeg-turbo's SIMD decoder, as Pillow uses; the model fails to load without it),
         * jdk (the JDK's ImageIO decoder, same pixels, slower) or auto (turbojpeg when installed, else jdk).
         */
        @WithDefault("auto")
        JpegDecoder jpeg();

        /** The TurboJPEG Java binding's jar (Debian package libturbojpeg-java). */
        @WithDefault("/usr/share/java/turbojpeg.jar")
        String turbojpegJar();

        /** The shared library holding libturbojpeg and the binding's JNI functions (Debian package libturbojpeg0). */
        @WithDefault("/usr/lib/x86_64-linux-gnu/libturbojpeg.so.0")
        String turbojpegLibrary();
    }

    /** JPEG decoders. */
    enum JpegDecoder {
        auto, turbojpeg, jdk
    }

    /** Execution devices. */
    enum Device {
        cpu, gpu, auto
    }

    /** Settings of one encoder's batching queue. */
    interface Batching {
        /** Most items in one model call (capped by a fixed batch size in the model). */
        @WithDefault("32")
        int maxBatchSize();

        /** Longest time the first item of a batch waits for more items to join. */
        @WithDefault("PT0.002S")
        Duration maxWait();

        /**
         * Longest extra wait of a batch for items the recent load says are on their way (more items were outstanding
         * at once since the last batch than this batch holds); also capped by {@code load-wait-fraction}.
         */
        @WithDefault("PT0.05S")
        Duration loadWait();

        /** The load wait never exceeds this fraction of the previous model call's duration. */
        @WithDefault("0.25")
        double loadWaitFraction();

        /** Items that may wait in the queue; beyond it requests are answered 429. */
        @WithDefault("1024")
        int queueCapacity();

        /** Inference threads, each owning its own predictor. */
        @WithDefault("1")
        int workers();
    }

    /** Request limits. */
    interface Limits {
        /** Largest request body in bytes. */
        @WithDefault("33554432")
        long maxRequestBytes();

        /** Most texts in one request. */
        @WithDefault("256")
        int maxTexts();

        /** Most images in one request. */
        @WithDefault("64")
        int maxImages();

        /** Longest text in characters (tokens beyond the context length are truncated). */
        @WithDefault("4096")
        int maxTextChars();

        /** Largest encoded image in bytes. */
        @WithDefault("16777216")
        long maxImageBytes();

        /** Most pixels (width x height, read from the header before decoding) of one image. */
        @WithDefault("40000000")
        long maxImagePixels();

        /** Smallest accepted image side in pixels. */
        @WithDefault("8")
        int minImageSide();

        /** Most pixels (width x height) being decoded at once across all requests, at up to ~14 bytes each. */
        @WithDefault("48000000")
        long maxDecodingPixels();

        /** How long an image waits for room in the decoding budget before the request is answered 429. */
        @WithDefault("PT2S")
        Duration decodingWait();
    }

    /** Zero-shot classification settings. */
    interface Classify {
        /** Fewest labels in one classification. */
        @WithDefault("2")
        int minLabels();

        /** Most labels in one classification. */
        @WithDefault("1000")
        int maxLabels();

        /** Most prompt templates in one classification. */
        @WithDefault("32")
        int maxTemplates();

        /** Longest label in characters. */
        @WithDefault("256")
        int maxLabelChars();

        /** Longest template in characters. */
        @WithDefault("256")
        int maxTemplateChars();

        /** Most prompts (labels x templates) in one classification. */
        @WithDefault("8192")
        int maxPrompts();

        /** Label prompt embeddings kept in the LRU cache. */
        @WithDefault("10000")
        int cacheSize();

        /** Template used when a request names none; {} is replaced by the label. */
        @WithDefault("a photo of a {}.")
        String defaultTemplate();
    }
}
