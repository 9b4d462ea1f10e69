package dev.sightline.embed.bench;

import dev.sightline.embed.config.EmbedConfig.Device;
import dev.sightline.embed.image.ClipPreprocessor;
import dev.sightline.embed.image.ImageDecoder;
import dev.sightline.embed.image.ImageLimits;
import dev.sightline.embed.image.PreprocessConfig;
import dev.sightline.embed.inference.ImageBatchRunner;
import dev.sightline.embed.inference.OnnxModel;
import dev.sightline.embed.inference.RuntimeOptions;
import dev.sightline.embed.inference.TextBatchRunner;
import dev.sightline.testsupport.ServiceLaunch;
import dev.sightline.testsupport.ServiceProcess;
import dev.sightline.testsupport.ShapePrompts;
import dev.sightline.testsupport.TestCredential;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Base64;
import java.util.Collections;
import java.util.List;
import java.util.Random;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.atomic.AtomicBoolean;

/**
 * embed-service benchmark (not a test): cold start to first embedding, resident memory, and HTTP throughput at
 * several concurrencies against raw in-process ONNX Runtime throughput of the same model measured in the same run.
 *
 * <p>usage: EmbedBenchmark JAR MODEL_DIR IMAGE [seconds-per-point]
 */
public final class EmbedBenchmark {

    /** The service's base URL, once started (on a free port). */
    private static String base;
    private static final HttpClient HTTP = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).build();

    public static void main(String[] args) throws Exception {
        Path jar = Path.of(args[0]);
        Path modelDir = Path.of(args[1]);
        byte[] image = Files.readAllBytes(Path.of(args[2]));
        double seconds = args.length > 3 ? Double.parseDouble(args[3]) : 8;
        System.setProperty("ai.djl.offline", "true");
        int cores = Runtime.getRuntime().availableProcessors();
        System.out.printf("embed-service benchmark: %d cores, %.0f s per point, image %s (%d bytes)%n", cores, seconds,
                args[2], image.length);

        // 1. Raw ONNX Runtime, in this process, before the service starts (they would share the cores).
        RuntimeOptions cpu = new RuntimeOptions(0, 1, false, Device.cpu, 0);
        Raw rawText = rawText(modelDir.resolve("text_model.onnx"), cpu, seconds);
        Raw rawImage = rawImage(modelDir.resolve("vision_model.onnx"), cpu, seconds);
        double pipeline = pipeline(modelDir.resolve("vision_model.onnx"), image, cores, seconds);

        // 2. Cold start: process start to first successful embedding.
        long t0 = System.nanoTime();
        ServiceLaunch launch = ServiceLaunch.jar("embed-service", jar)
                .withProperty("sightline.embed.model.dir", modelDir.toString())
                .loggingTo(Path.of("target", "bench-service.log"));
        Path cds = jar.resolveSibling("app-cds.jsa");
        if (Files.isRegularFile(cds)) {
            launch = launch.withJvmOptions(List.of("-XX:SharedArchiveFile=" + cds));
        }
        try (ServiceProcess service = ServiceProcess.start(launch)) {
            System.out.println("service: " + String.join(" ", service.command()));
            base = service.url();
            String textBody = "{\"texts\":[\"a photo of a red circle.\"]}";
            service.awaitReady(Duration.ofMinutes(2), () -> post("/embed/text", textBody) == 200);
            double coldStart = (System.nanoTime() - t0) / 1e9;
            System.out.printf("%ncold start to first text embedding: %.2f s (JVM, bundled model)%n", coldStart);

            String imageBody = "{\"images\":[\"" + Base64.getEncoder().encodeToString(image) + "\"]}";
            List<String> texts = ShapePrompts.all();
            System.out.printf("%n%-6s %-11s %12s %10s %10s %12s%n", "what", "concurrency", "items/s", "p50 ms", "p99 ms",
                    "vs raw best");
            double textAt32 = 0;
            double imageAt32 = 0;
            for (int c : new int[] {1, 8, 32}) {
                Result r = load(c, seconds, i -> "{\"texts\":[\"" + texts.get(i % texts.size()) + "\"]}", "/embed/text");
                r.print("text", c, rawText.best);
                if (c == 32) {
                    textAt32 = r.perSecond;
                }
            }
            for (int c : new int[] {1, 8, 32}) {
                Result r = load(c, seconds, i -> imageBody, "/embed/image");
                r.print("image", c, rawImage.best);
                if (c == 32) {
                    imageAt32 = r.perSecond;
                }
            }
            long rss = rssKb(service.pid());
            System.out.printf("%nraw ONNX Runtime (in-process, same model, intra-op threads = cores):%n");
            rawText.print("text");
            rawImage.print("image");
            System.out.printf("  image pipeline in-process (decode + preprocess + ONNX Runtime, %d threads, batch 16): "
                    + "%.1f images/s%n", cores, pipeline);
            System.out.printf("%nHTTP at concurrency 32 / raw best: text %.2f, image %.2f (target for images >= 0.80)%n",
                    textAt32 / rawText.best, imageAt32 / rawImage.best);
            System.out.printf("HTTP images at concurrency 32 / in-process pipeline: %.2f%n", imageAt32 / pipeline);
            System.out.printf("service resident memory after the run: %.0f MiB%n", rss / 1024.0);
        }
    }

    private record Raw(double best, int bestBatch, List<String> rows) {
        void print(String what) {
            rows.forEach(r -> System.out.println("  " + what + " " + r));
            System.out.printf("  %s best: %.1f items/s at batch %d%n", what, best, bestBatch);
        }
    }

    private static Raw rawText(Path model, RuntimeOptions options, double seconds) {
        try (TextBatchRunner runner = new TextBatchRunner(OnnxModel.load(model, options))) {
            int[] ids = {49406, 320, 1125, 539, 320, 736, 7117, 269, 49407};
            return raw(b -> runner.run(Collections.nCopies(b, ids)), seconds);
        }
    }

    private static Raw rawImage(Path model, RuntimeOptions options, double seconds) {
        try (ImageBatchRunner runner = new ImageBatchRunner(OnnxModel.load(model, options), 224, 224)) {
            float[] px = new float[3 * 224 * 224];
            Random r = new Random(1);
            for (int i = 0; i < px.length; i++) {
                px[i] = (float) r.nextGaussian();
            }
            return raw(b -> runner.run(Collections.nCopies(b, px)), seconds);
        }
    }

    /** Decode, preprocess and embed in this process without HTTP: each thread owns a session (1 intra-op thread). */
    private static double pipeline(Path model, byte[] image, int threads, double seconds) throws Exception {
        ClipPreprocessor pre = new ClipPreprocessor(PreprocessConfig.clipDefaults());
        ImageLimits limits = new ImageLimits(1 << 26, 1 << 28, 8);
        ExecutorService pool = Executors.newFixedThreadPool(threads);
        AtomicBoolean stop = new AtomicBoolean();
        List<Future<Long>> done = new ArrayList<>();
        long start = System.nanoTime();
        for (int t = 0; t < threads; t++) {
            done.add(pool.submit(() -> {
                long items = 0;
                try (ImageBatchRunner runner = new ImageBatchRunner(
                        OnnxModel.load(model, new RuntimeOptions(1, 1, false, Device.cpu, 0)), 224, 224)) {
                    while (!stop.get()) {
                        List<float[]> batch = new ArrayList<>(16);
                        for (int i = 0; i < 16; i++) {
                            batch.add(pre.preprocess(ImageDecoder.decode(image, limits)));
                        }
                        runner.run(batch);
                        items += 16;
                    }
                }
                return items;
            }));
        }
        Thread.sleep((long) (seconds * 1000));
        stop.set(true);
        long items = 0;
        for (Future<Long> f : done) {
            items += f.get();
        }
        pool.shutdown();
        return items / ((System.nanoTime() - start) / 1e9);
    }

    private static Raw raw(java.util.function.IntConsumer batch, double seconds) {
        double best = 0;
        int bestBatch = 0;
        List<String> rows = new ArrayList<>();
        for (int b : new int[] {1, 8, 16, 32, 64}) {
            batch.accept(b);
            long end = System.nanoTime() + (long) (seconds / 2 * 1e9);
            long start = System.nanoTime();
            long items = 0;
            while (System.nanoTime() < end) {
                batch.accept(b);
                items += b;
            }
            double rate = items / ((System.nanoTime() - start) / 1e9);
            rows.add(String.format("batch %3d: %8.1f items/s", b, rate));
            if (rate > best) {
                best = rate;
                bestBatch = b;
            }
        }
        return new Raw(best, bestBatch, rows);
    }

    private record Result(double perSecond, double p50, double p99, int errors) {
        void print(String what, int c, double raw) {
            System.out.printf("%-6s %-11d %12.1f %10.1f %10.1f %12.2f%s%n", what, c, perSecond, p50, p99, perSecond / raw,
                    errors > 0 ? "  (" + errors + " errors)" : "");
        }
    }

    private static Result load(int concurrency, double seconds, java.util.function.IntFunction<String> body, String path)
            throws Exception {
        ExecutorService pool = Executors.newFixedThreadPool(concurrency);
        AtomicBoolean stop = new AtomicBoolean();
        long start = System.nanoTime();
        List<Future<List<Long>>> futures = new ArrayList<>();
        for (int i = 0; i < concurrency; i++) {
            int seed = i;
            futures.add(pool.submit(() -> {
                List<Long> lat = new ArrayList<>();
                int n = seed;
                while (!stop.get()) {
                    long s = System.nanoTime();
                    int status = post(path, body.apply(n++));
                    lat.add(status == 200 ? System.nanoTime() - s : -1);
                }
                return lat;
            }));
        }
        Thread.sleep((long) (seconds * 1000));
        stop.set(true);
        double elapsed = (System.nanoTime() - start) / 1e9;
        List<Long> all = new ArrayList<>();
        for (Future<List<Long>> f : futures) {
            all.addAll(f.get());
        }
        pool.shutdown();
        long errors = all.stream().filter(l -> l < 0).count();
        long[] ok = all.stream().filter(l -> l >= 0).mapToLong(Long::longValue).sorted().toArray();
        return new Result(ok.length / elapsed, pct(ok, 0.5), pct(ok, 0.99), (int) errors);
    }

    private static double pct(long[] sorted, double q) {
        return sorted.length == 0 ? 0 : sorted[Math.min(sorted.length - 1, (int) (q * sorted.length))] / 1e6;
    }

    private static int post(String path, String body) {
        try {
            HttpRequest req = HttpRequest.newBuilder(URI.create(base + path)).header("Authorization", TestCredential.AUTHORIZATION)
                    .header("Content-Type", "application/json").POST(HttpRequest.BodyPublishers.ofString(body)).build();
            return HTTP.send(req, HttpResponse.BodyHandlers.discarding()).statusCode();
        } catch (IOException e) {
            return -1;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return -1;
        }
    }

    private static long rssKb(long pid) throws IOException {
        for (String line : Files.readAllLines(Path.of("/proc", Long.toString(pid), "status"))) {
            if (line.startsWith("VmRSS:")) {
                return Long.parseLong(line.replaceAll("[^0-9]", ""));
            }
        }
        return -1;
    }
}
