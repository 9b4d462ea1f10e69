package dev.sightline.retrieval.bench;

import dev.sightline.testsupport.TestCredential;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.stream.IntStream;

/**
 * The bulk load through the service: {@link Settings#UPLOADERS} uploaders ({@link LeanHttp}) each taking the next batch of
 * {@link Settings#BATCH} items and sending it to {@code POST /collections/{name}/items/bulk} as NDJSON. The bodies
 * are written to files before the clock starts (1M bodies are 5.7 GB: too much to hold, and formatting their floats
 * costs the client more CPU than the service spends on them); during the load the client only streams files, so
 * the rate measured is the service's and PostgreSQL's, as with a load generator on another machine.
 */
final class BulkLoad {

    private final BenchService service;
    private final String collection;

    BulkLoad(BenchService service, String collection) {
        this.service = service;
        this.collection = collection;
    }

    /** NDJSON bodies of every batch of the data set, in a temporary folder; deleted by {@link Bodies#close}. */
    static Bodies write(float[][] data) throws Exception {
        long t0 = System.nanoTime();
        Path dir = Files.createTempDirectory("sightline-bench-bulk-");
        int batches = (data.length + Settings.BATCH - 1) / Settings.BATCH;
        List<Path> files = new ArrayList<>();
        for (int b = 0; b < batches; b++) {
            files.add(dir.resolve("batch-" + b + ".ndjson"));
        }
        IntStream.range(0, batches).parallel().forEach(b -> {
            try {
                Files.write(files.get(b), ndjson(data, b * Settings.BATCH,
                        Math.min(data.length, (b + 1) * Settings.BATCH)));
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
        });
        long bytes = 0;
        for (Path f : files) {
            bytes += Files.size(f);
        }
        System.out.printf("wrote %d NDJSON bodies (%,.0f MiB) in %.1f s, before the clock%n", batches,
                bytes / 1048576.0, Stopwatch.secondsSince(t0));
        return new Bodies(dir, files);
    }

    /** The bodies of one data set, reused by every collection loaded with it. */
    record Bodies(Path dir, List<Path> files) implements AutoCloseable {
        @Override
        public void close() throws IOException {
            for (Path f : files) {
                Files.deleteIfExists(f);
            }
            Files.deleteIfExists(dir);
        }
    }

    /** Loads every body (ids v0, v1, ... as images); the seconds it took. */
    double load(Bodies bodies, int n) throws Exception {
        int batches = bodies.files().size();
        AtomicInteger next = new AtomicInteger();
        AtomicInteger done = new AtomicInteger();
        ExecutorService pool = Executors.newFixedThreadPool(Settings.UPLOADERS);
        String path = "/collections/" + collection + "/items/bulk";
        String[] headers = {"Authorization", TestCredential.AUTHORIZATION, "X-Sightline-Tenant", Settings.TENANT,
            "Content-Type", "application/x-ndjson"};
        LeanHttp http = new LeanHttp(URI.create(service.base()), Settings.UPLOADERS);
        System.out.printf("%nloading %,d vectors through POST /collections/%s/items/bulk ...%n", n, collection);
        long t0 = System.nanoTime();
        try {
            List<Future<?>> fs = new ArrayList<>();
            for (int u = 0; u < Settings.UPLOADERS; u++) {
                int worker = u;
                fs.add(pool.submit(() -> {
                    int b;
                    while ((b = next.getAndIncrement()) < batches) {
                        int items = Math.min(n, (b + 1) * Settings.BATCH) - b * Settings.BATCH;
                        Path file = bodies.files().get(b);
                        LeanHttp.Answer r = http.exchange(worker,
                                http.request("POST", path, headers, null, Files.size(file)), file);
                        if (r.status() != 200) {
                            throw new IllegalStateException("bulk upsert returned " + r.status() + ": "
                                    + new String(r.body(), StandardCharsets.UTF_8));
                        }
                        int before = done.getAndAdd(items);
                        int after = before + items;
                        if (after / 100_000 > before / 100_000 || after == n) {
                            double s = Stopwatch.secondsSince(t0);
                            System.out.printf("  %8d / %d loaded, %6.1f s, %7.0f vectors/s%n", after, n, s, after / s);
                        }
                    }
                    return null;
                }));
            }
            for (Future<?> f : fs) {
                f.get();
            }
        } finally {
            pool.shutdownNow();
            http.close();
        }
        return Stopwatch.secondsSince(t0);
    }

    private static byte[] ndjson(float[][] data, int from, int to) {
        StringBuilder sb = new StringBuilder((to - from) * Settings.DIM * 12);
        for (int i = from; i < to; i++) {
            sb.append("{\"id\":\"v").append(i).append("\",\"modality\":\"image\",\"vector\":[");
            float[] v = data[i];
            for (int j = 0; j < v.length; j++) {
                if (j > 0) {
                    sb.append(',');
                }
                sb.append(v[j]);
            }
            sb.append("]}\n");
        }
        return sb.toString().getBytes(StandardCharsets.UTF_8);
    }
}
