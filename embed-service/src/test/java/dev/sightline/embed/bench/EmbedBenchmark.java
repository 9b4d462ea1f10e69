package dev.sightline.embed.bench;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.sightline.embed.config.EmbedConfig.Device;
import dev.sightline.embed.inference.ImageBatchRunner;
import dev.sightline.embed.inference.OnnxModel;
import dev.sightline.embed.inference.RuntimeOptions;
import dev.sightline.embed.inference.TextBatchRunner;
import dev.sightline.embed.model.ModelFolder;
import dev.sightline.embed.model.ModelFolderReader;
import dev.sightline.testsupport.ServiceLaunch;
import dev.sightline.testsupport.ServiceProcess;
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
import java.util.Locale;
import java.util.Random;

/**
 * embed-service benchmark (not a test). In one run, on one model: raw ONNX Runtime in this JVM at its best batch
 * size; the Python baselines (raw onnxruntime and the Pillow + onnxruntime pipeline, measured just before by
 * {@code bench/python_reference.py}, whose JSON this reads); then embed-service over HTTP under load from wrk at
 * concurrency 1/8/32 for a small and a large JPEG and for texts (1 and 32 per request). Prints items/s, p50/p99, CPU
 * seconds per item, resident memory and every ratio.
 *
 * <p>usage: EmbedBenchmark JAR MODEL_DIR SMALL_JPEG LARGE_JPEG SECONDS PYTHON_JSON [-Dservice.property=value ...]
 */
public final class EmbedBenchmark {

    /** "a photo of a red circle." tokenised, as python_reference.py feeds it. */
    private static final int[] IDS = {49406, 320, 1125, 539, 320, 736, 7117, 269, 49407};
    /** {@code -Dbench.device=gpu}: raw ONNX Runtime on CUDA and the service with runtime.device=gpu. */
    private static final boolean GPU = "gpu".equals(System.getProperty("bench.device"));
    private static final int[] CONCURRENCY = GPU ? new int[] {1, 32, 128} : new int[] {1, 8, 32};
    private static final int[] RAW_BATCHES = GPU ? new int[] {1, 32, 128} : new int[] {1, 8, 16, 32};
    private static final long TICKS_PER_SECOND = 100;

    private final List<String[]> rows = new ArrayList<>();

    public static void main(String[] args) throws Exception {
        Locale.setDefault(Locale.ROOT);
        System.setProperty("ai.djl.offline", "true");
        JsonNode py = args[5].equals("-") ? null : new ObjectMapper().readTree(Files.readString(Path.of(args[5])));
        new EmbedBenchmark().run(Path.of(args[0]), Path.of(args[1]), Path.of(args[2]), Path.of(args[3]),
                Double.parseDouble(args[4]), py, List.of(args).subList(6, args.length));
    }

    private void run(Path jar, Path modelDir, Path small, Path large, double seconds, JsonNode py, List<String> serviceOptions)
            throws Exception {
        int cores = Runtime.getRuntime().availableProcessors();
        ModelFolder folder = ModelFolderReader.read(modelDir);
        System.out.printf("%nembed benchmark: model %s, %d cores, %.0f s per point; small %s (%d bytes), large %s (%d bytes)%n",
                modelDir, cores, seconds, small, Files.size(small), large, Files.size(large));

        // Raw ONNX Runtime in this JVM, before the service starts (they would share the cores).
        RuntimeOptions cpu = new RuntimeOptions(0, 1, false, GPU ? Device.gpu : Device.cpu, 0);
        Measure javaImage = null;
        int javaBestBatch = 0;
        java.util.Map<Integer, Measure> rawByBatch = new java.util.TreeMap<>();
        try (ImageBatchRunner runner = new ImageBatchRunner(OnnxModel.load(folder.visionModel(), cpu), 224, 224)) {
            System.out.println("raw ONNX Runtime provider: " + runner.executionProvider());
            float[] px = new float[3 * 224 * 224];
            Random r = new Random(1);
            for (int i = 0; i < px.length; i++) {
                px[i] = (float) r.nextGaussian();
            }
            StringBuilder curve = new StringBuilder();
            for (int b : RAW_BATCHES) {
                List<float[]> batch = Collections.nCopies(b, px);
                Measure m = Measure.loop(() -> runner.run(batch), b, seconds / 2);
                rawByBatch.put(b, m);
                curve.append(String.format(" b%d %.1f", b, m.itemsPerSecond()));
                if (javaImage == null || m.itemsPerSecond() > javaImage.itemsPerSecond()) {
                    javaImage = m;
                    javaBestBatch = b;
                }
            }
            // Only now: DJL must create the ONNX Runtime environment itself (with its thread pool settings).
            System.out.printf("ONNX Runtime: Java %s (in this JVM and the service), Python %s%n",
                    ai.onnxruntime.OrtEnvironment.getEnvironment().getVersion(),
                    py == null ? "not measured" : py.path("onnxruntime").asText());
            System.out.println("Java raw image curve (items/s):" + curve);
        }
        Measure[] javaText = new Measure[2];
        try (TextBatchRunner runner = new TextBatchRunner(OnnxModel.load(folder.textModel(), cpu))) {
            javaText[0] = Measure.loop(() -> runner.run(List.of(IDS)), 1, seconds / 2);
            List<int[]> batch = Collections.nCopies(32, IDS);
            javaText[1] = Measure.loop(() -> runner.run(batch), 32, seconds / 2);
        }


        Path work = Path.of("target", "bench");
        Wrk wrk = new Wrk(work, TestCredential.AUTHORIZATION);
        Path smallBody = writeImageBody(work.resolve("small.json"), small);
        Path largeBody = writeImageBody(work.resolve("large.json"), large);
        Path text1Body = Files.writeString(work.resolve("text1.json"), textBody(1));
        Path text32Body = Files.writeString(work.resolve("text32.json"), textBody(32));

        ServiceLaunch launch = ServiceLaunch.jar("embed-service", jar)
                .withProperty("sightline.embed.model.dir", modelDir.toString())
                .withJvmOptions(GPU ? List.of("-Dsightline.embed.runtime.device=gpu",
                        "-Dsightline.embed.image.max-batch-size=128") : List.of())
                .withJvmOptions(serviceOptions)
                .loggingTo(work.resolve("service.log"));
        Path cds = jar.resolveSibling("app-cds.jsa");
        if (Files.isRegularFile(cds)) {
            launch = launch.withJvmOptions(List.of("-XX:SharedArchiveFile=" + cds));
        }
        long t0 = System.nanoTime();
        try (ServiceProcess service = ServiceProcess.start(launch)) {
            System.out.println("service: " + String.join(" ", service.command()));
            service.awaitReady(Duration.ofMinutes(5), () -> post(service.url() + "/embed/text", text1Body) == 200);
            System.out.printf("cold start to first text embedding: %.2f s%n", (System.nanoTime() - t0) / 1e9);
            System.out.println("readiness: " + get(service.url() + "/q/health/ready").replaceAll("\\s+", " "));
            if (GPU) {
                gpuRows(wrk, service, smallBody, rawByBatch, seconds);
                return;
            }

            for (Path warm : List.of(smallBody, largeBody, text1Body, text32Body)) {
                wrk.post(service.url() + "/embed/" + (warm.getFileName().toString().startsWith("text") ? "text" : "image"),
                        warm, 8, Math.min(3, seconds));
            }
            if (py == null) {
                throw new IllegalArgumentException("the CPU benchmark needs python_reference.py's JSON");
            }
            JsonNode pyImage = py.path("raw_image");
            Measure pyRaw = measure(pyImage);
            Measure pySmall = measure(py.path("pipeline").path("small"));
            Measure pyLarge = measure(py.path("pipeline").path("large"));
            Measure pyText1 = measure(py.path("raw_text").path("1"));
            Measure pyText32 = measure(py.path("raw_text").path("32"));
            header();
            row("image, small", "Python raw onnxruntime, batch " + pyImage.path("best_batch").asInt(), pyRaw, pySmall, pyRaw, javaImage);
            row("image, small", "Python Pillow + onnxruntime, batch 8", pySmall, pySmall, pyRaw, javaImage);
            row("image, small", "Java raw ONNX Runtime, batch " + javaBestBatch, javaImage, pySmall, pyRaw, javaImage);
            for (int c : CONCURRENCY) {
                row("image, small", "embed-service HTTP, c=" + c, http(wrk, service, "image", smallBody, 1, c, seconds), pySmall, pyRaw, javaImage);
            }
            row("image, large", "Python Pillow + onnxruntime, batch 8", pyLarge, pyLarge, pyRaw, javaImage);
            for (int c : CONCURRENCY) {
                row("image, large", "embed-service HTTP, c=" + c, http(wrk, service, "image", largeBody, 1, c, seconds), pyLarge, pyRaw, javaImage);
            }
            row("text ×1", "Python raw onnxruntime, batch 1", pyText1, null, pyText1, javaText[0]);
            row("text ×1", "Java raw ONNX Runtime, batch 1", javaText[0], null, pyText1, javaText[0]);
            for (int c : CONCURRENCY) {
                row("text ×1", "embed-service HTTP, c=" + c, http(wrk, service, "text", text1Body, 1, c, seconds), null, pyText1, javaText[0]);
            }
            row("text ×32", "Python raw onnxruntime, batch 32", pyText32, null, pyText32, javaText[1]);
            row("text ×32", "Java raw ONNX Runtime, batch 32", javaText[1], null, pyText32, javaText[1]);
            for (int c : new int[] {1, 8}) {
                row("text ×32", "embed-service HTTP, c=" + c, http(wrk, service, "text", text32Body, 32, c, seconds), null, pyText32, javaText[1]);
            }
            System.out.printf("%nresident memory: embed-service %.0f MiB now, %.0f MiB peak; Python reference peak %.0f MiB%n",
                    procStatusKb(service.pid(), "VmRSS:") / 1024.0, procStatusKb(service.pid(), "VmHWM:") / 1024.0,
                    py.path("max_rss_mib").asDouble());
            System.out.printf("Python preprocessing alone (Pillow decode + resize + normalise, 1 thread): small %.2f ms, large %.2f ms%n",
                    py.path("pipeline").path("small").path("preprocess_ms").asDouble(),
                    py.path("pipeline").path("large").path("preprocess_ms").asDouble());
        }
        System.out.println();
        rows.forEach(r -> System.out.println("| " + String.join(" | ", r) + " |"));
    }

    /** GPU: HTTP at concurrency 1/32/128 (one image per request, batched by the service) against raw at that batch. */
    private void gpuRows(Wrk wrk, ServiceProcess service, Path body, java.util.Map<Integer, Measure> raw, double seconds)
            throws IOException, InterruptedException {
        header();
        for (int c : CONCURRENCY) {
            Measure r = raw.get(c);
            row("image, small", "Java raw ONNX Runtime CUDA, batch " + c, r, null, null, r);
            row("image, small", "embed-service HTTP, c=" + c, http(wrk, service, "image", body, 1, c, seconds), null, null, r);
        }
        System.out.println();
        rows.forEach(x -> System.out.println("| " + String.join(" | ", x) + " |"));
    }

    private static String get(String url) {
        try {
            HttpRequest req = HttpRequest.newBuilder(URI.create(url)).GET().build();
            return HttpClient.newHttpClient().send(req, HttpResponse.BodyHandlers.ofString()).body();
        } catch (IOException e) {
            return "unreachable: " + e.getMessage();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return "interrupted";
        }
    }

    private static Measure measure(JsonNode n) {
        return new Measure(n.path("items_per_s").asDouble(), n.path("p50_ms").asDouble(), n.path("p99_ms").asDouble(),
                n.path("cpu_s_per_item").asDouble());
    }

    /**
     * One HTTP point. wrk keeps {@code concurrency} requests in flight for a warm-up and then {@code seconds}; the
     * throughput is what the service embedded in that steady window (its own item counter), because at high
     * concurrency a request takes seconds and wrk's count over a short run misses the ramp and the requests still in
     * flight at the end. Latency percentiles are wrk's, CPU is the service process's over the window.
     */
    private Measure http(Wrk wrk, ServiceProcess service, String kind, Path body, int itemsPerRequest, int concurrency,
            double seconds) throws IOException, InterruptedException {
        double warm = Math.min(4, Math.max(2, seconds / 2));
        Wrk.Running running = wrk.start(service.url() + "/embed/" + kind, body, concurrency, warm + seconds + 1);
        Thread.sleep((long) (warm * 1000));
        double items0 = embedded(service, kind);
        long cpu0 = cpuTicks(service.pid());
        long t0 = System.nanoTime();
        Thread.sleep((long) (seconds * 1000));
        double items = embedded(service, kind) - items0;
        double cpu = (cpuTicks(service.pid()) - cpu0) / (double) TICKS_PER_SECOND;
        double window = (System.nanoTime() - t0) / 1e9;
        Wrk.Run run = running.await();
        if (run.failed() > 0) {
            System.out.printf("  (%d of %d requests failed)%n", run.failed(), run.requests());
        }
        return new Measure(items / window, run.p50Ms(), run.p99Ms(), items == 0 ? 0 : cpu / items);
    }

    /** Items the service's encoder has embedded so far ({@code sightline_embed_batch_size_sum}). */
    private static double embedded(ServiceProcess service, String encoder) throws IOException {
        String metrics = get(service.url() + "/q/metrics");
        java.util.regex.Matcher m = java.util.regex.Pattern.compile(
                "(?m)^sightline_embed_batch_size_sum\\{encoder=\"" + encoder + "\"[^}]*} ([0-9.eE+-]+)").matcher(metrics);
        if (!m.find()) {
            throw new IOException("no sightline_embed_batch_size_sum for " + encoder + " in /q/metrics");
        }
        return Double.parseDouble(m.group(1));
    }

    private static void header() {
        System.out.printf("%n%-13s %-40s %9s %8s %8s %9s %10s %10s %10s%n", "what", "how", "items/s", "p50 ms", "p99 ms",
                "CPU s/it", "/Py pipe", "/Py raw", "/Java raw");
    }

    private void row(String what, String how, Measure m, Measure pipeline, Measure pyRaw, Measure javaRaw) {
        String vsPipe = pipeline == null ? "" : String.format("%.2f", m.itemsPerSecond() / pipeline.itemsPerSecond());
        String vsPy = pyRaw == null ? "" : String.format("%.2f", m.itemsPerSecond() / pyRaw.itemsPerSecond());
        String vsJava = String.format("%.2f", m.itemsPerSecond() / javaRaw.itemsPerSecond());
        System.out.printf("%-13s %-40s %9.1f %8.1f %8.1f %9.4f %10s %10s %10s%n", what, how, m.itemsPerSecond(), m.p50Ms(),
                m.p99Ms(), m.cpuSecondsPerItem(), vsPipe, vsPy, vsJava);
        rows.add(new String[] {what, how, String.format("%.1f", m.itemsPerSecond()), String.format("%.1f", m.p50Ms()),
                String.format("%.1f", m.p99Ms()), String.format("%.4f", m.cpuSecondsPerItem()), vsPipe, vsPy, vsJava});
    }

    private static Path writeImageBody(Path file, Path image) throws IOException {
        return Files.writeString(file, "{\"images\":[\"" + Base64.getEncoder().encodeToString(Files.readAllBytes(image)) + "\"]}");
    }

    private static String textBody(int n) {
        List<String> texts = new ArrayList<>();
        for (int i = 0; i < n; i++) {
            texts.add("\"a photo of a red circle.\"");
        }
        return "{\"texts\":[" + String.join(",", texts) + "]}";
    }

    private static int post(String url, Path body) {
        try {
            HttpRequest req = HttpRequest.newBuilder(URI.create(url)).header("Authorization", TestCredential.AUTHORIZATION)
                    .header("Content-Type", "application/json").POST(HttpRequest.BodyPublishers.ofFile(body)).build();
            return HttpClient.newHttpClient().send(req, HttpResponse.BodyHandlers.discarding()).statusCode();
        } catch (IOException e) {
            return -1;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return -1;
        }
    }

    /** utime + stime of a process, in clock ticks (fields 14 and 15 of /proc/PID/stat, after the command name). */
    private static long cpuTicks(long pid) throws IOException {
        String stat = Files.readString(Path.of("/proc", Long.toString(pid), "stat"));
        String[] f = stat.substring(stat.lastIndexOf(')') + 2).split(" ");
        return Long.parseLong(f[11]) + Long.parseLong(f[12]);
    }

    private static long procStatusKb(long pid, String key) throws IOException {
        for (String line : Files.readAllLines(Path.of("/proc", Long.toString(pid), "status"))) {
            if (line.startsWith(key)) {
                return Long.parseLong(line.replaceAll("[^0-9]", ""));
            }
        }
        return -1;
    }
}
