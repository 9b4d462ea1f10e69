package dev.sightline.retrieval.bench;

import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.atomic.AtomicInteger;

/** The bulk load over HTTP: {@link Settings#UPLOADERS} uploaders taking the next batch; the index is maintained. */
final class BulkLoad {

    private final BenchService service;
    private final String collection;

    BulkLoad(BenchService service, String collection) {
        this.service = service;
        this.collection = collection;
    }

    /** Loads every vector (ids v0, v1, ... as images); the seconds it took. */
    double load(float[][] data) throws Exception {
        int n = data.length;
        int batches = (n + Settings.BATCH - 1) / Settings.BATCH;
        AtomicInteger next = new AtomicInteger();
        AtomicInteger done = new AtomicInteger();
        ExecutorService pool = Executors.newFixedThreadPool(Settings.UPLOADERS);
        long t0 = System.nanoTime();
        System.out.printf("%nloading %d vectors ...%n", n);
        try {
            List<Future<?>> fs = new ArrayList<>();
            for (int u = 0; u < Settings.UPLOADERS; u++) {
                fs.add(pool.submit(() -> {
                    int b;
                    while ((b = next.getAndIncrement()) < batches) {
                        int from = b * Settings.BATCH;
                        int to = Math.min(n, from + Settings.BATCH);
                        HttpResponse<String> r = BenchService.HTTP.send(service.request("/collections/" + collection
                                + "/items").POST(HttpRequest.BodyPublishers.ofString(itemsBody(data, from, to))).build(),
                                HttpResponse.BodyHandlers.ofString());
                        if (r.statusCode() != 200) {
                            throw new IllegalStateException("upsert returned " + r.statusCode() + ": " + r.body());
                        }
                        int before = done.getAndAdd(to - from);
                        int after = before + to - from;
                        if (after / 10_000 > before / 10_000 || after == n) {
                            double s = Stopwatch.secondsSince(t0);
                            System.out.printf("  %7d / %d loaded, %6.1f s, %6.0f vectors/s%n", after, n, s, after / s);
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
        }
        return Stopwatch.secondsSince(t0);
    }

    private static String itemsBody(float[][] data, int from, int to) {
        StringBuilder sb = new StringBuilder((to - from) * Settings.DIM * 12);
        sb.append("{\"items\":[");
        for (int i = from; i < to; i++) {
            if (i > from) {
                sb.append(',');
            }
            sb.append("{\"id\":\"v").append(i).append("\",\"modality\":\"image\",\"vector\":[");
            float[] v = data[i];
            for (int j = 0; j < v.length; j++) {
                if (j > 0) {
                    sb.append(',');
                }
                sb.append(v[j]);
            }
            sb.append("]}");
        }
        return sb.append("]}").toString();
    }
}
