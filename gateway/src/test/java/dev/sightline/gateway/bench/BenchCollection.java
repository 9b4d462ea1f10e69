package dev.sightline.gateway.bench;

import java.io.IOException;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Locale;
import java.util.Random;
import java.util.UUID;
import java.util.concurrent.TimeUnit;

/**
 * The benchmark's collection of random vectors, loaded through retrieval-service directly: the load is not what is
 * measured.
 */
final class BenchCollection {

    private final BenchClient client;
    private final String retrieval;
    private final String name;

    private BenchCollection(BenchClient client, String retrieval, String name) {
        this.client = client;
        this.retrieval = retrieval;
        this.name = name;
    }

    static BenchCollection create(BenchClient client, String retrievalUrl) throws IOException, InterruptedException {
        String name = "gwbench-" + UUID.randomUUID().toString().substring(0, 8);
        BenchClient.check(client.send(BenchClient.json(retrievalUrl + "/collections/" + name, "{\"dimension\":"
                + Settings.DIM + ",\"model\":\"sightline/tiny-clip\"}", Settings.TENANT, null, "PUT")), 201,
                "create collection");
        return new BenchCollection(client, retrievalUrl, name);
    }

    String name() {
        return name;
    }

    /** Upserts {@code vectors} random vectors, images and texts alternately, in batches. */
    void load(int vectors, Random rnd) throws IOException, InterruptedException {
        int batch = Settings.BATCH;
        long l0 = System.nanoTime();
        for (int b = 0; b < vectors; b += batch) {
            StringBuilder sb = new StringBuilder(batch * Settings.DIM * 12).append("{\"items\":[");
            for (int i = b; i < Math.min(vectors, b + batch); i++) {
                sb.append(i == b ? "" : ",").append("{\"id\":\"v").append(i).append("\",\"modality\":\"")
                        .append(i % 2 == 0 ? "image" : "text").append("\",\"vector\":").append(Vectors.random(rnd))
                        .append('}');
            }
            BenchClient.check(client.send(BenchClient.json(retrieval + "/collections/" + name + "/items",
                    sb.append("]}").toString(), Settings.TENANT, null, "POST")), 200, "upsert batch");
        }
        HttpResponse<String> info = client.send(BenchClient.json(retrieval + "/collections/" + name, null,
                Settings.TENANT, null, "GET"));
        System.out.printf(Locale.ROOT, "collection %s (tenant %s) loaded in %.1f s: %s%n", name, Settings.TENANT,
                (System.nanoTime() - l0) / 1e9, info.body());
    }

    /**
     * ANALYZE of the collection's partition with psql (SIGHTLINE_PG_* settings, as db/env.sh); what happened. A new
     * collection's partition has no planner statistics until autovacuum analyzes it (up to a minute or more later);
     * until then retrieval-service's searches are exact scans, not HNSW.
     */
    String analyze() {
        String host = System.getenv().getOrDefault("SIGHTLINE_PG_HOST", "127.0.0.1");
        String port = System.getenv().getOrDefault("SIGHTLINE_PG_PORT", "55432");
        String user = System.getenv().getOrDefault("SIGHTLINE_PG_USER", "sightline");
        String db = System.getenv().getOrDefault("SIGHTLINE_PG_DB", "sightline");
        Path bin = Path.of(System.getenv().getOrDefault("SIGHTLINE_PG_BIN", "/usr/lib/postgresql/15/bin"), "psql");
        String psql = Files.isExecutable(bin) ? bin.toString() : "psql";
        // Partition name as retrieval-service's Partitions.table(id); names are checked patterns, safe to inline.
        String sql = "DO $$ BEGIN EXECUTE format('ANALYZE items_c%s', (SELECT id FROM collections WHERE tenant = '"
                + Settings.TENANT + "' AND name = '" + name + "')); END $$;";
        try {
            ProcessBuilder pb = new ProcessBuilder(psql, "-X", "-q", "-v", "ON_ERROR_STOP=1", "-h", host, "-p", port, "-U",
                    user, "-d", db, "-c", sql).redirectErrorStream(true);
            pb.environment().put("PGPASSWORD", System.getenv().getOrDefault("SIGHTLINE_PG_PASSWORD", "sightline"));
            Process p = pb.start();
            String out = new String(p.getInputStream().readAllBytes()).strip();
            if (!p.waitFor(60, TimeUnit.SECONDS) || p.exitValue() != 0) {
                return "ANALYZE failed, the first points may use exact scans: " + out;
            }
            return "ANALYZE of the collection's partition done with psql";
        } catch (IOException e) {
            return "psql not available (" + e.getMessage() + "); the first points may use exact scans";
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return "interrupted";
        }
    }

    /** Deletes the collection; a failure is reported, not thrown (this runs while the benchmark winds down). */
    void delete() {
        try {
            client.send(BenchClient.json(retrieval + "/collections/" + name, null, Settings.TENANT, null, "DELETE"));
        } catch (Exception e) {
            System.out.println("could not delete collection " + name + ": " + e);
        }
    }
}
