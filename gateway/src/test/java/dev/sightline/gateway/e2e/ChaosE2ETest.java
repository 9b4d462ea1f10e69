package dev.sightline.gateway.e2e;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.sightline.gateway.support.Gateway;
import dev.sightline.gateway.support.Platform;
import dev.sightline.testsupport.TestCredential;
import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.common.http.TestHTTPResource;
import io.quarkus.test.junit.QuarkusTest;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.net.URI;
import java.net.URL;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;

/**
 * Writers ingest through the gateway while retrieval-service is killed with SIGKILL and PostgreSQL is stopped with
 * {@code -m immediate}, both then restarted. Afterwards every acknowledged item holds what it was acknowledged with,
 * an unacknowledged batch is all there or not at all, and no late attempt replaced a newer acknowledged write.
 */
@QuarkusTest
@QuarkusTestResource(Platform.class)
class ChaosE2ETest {

    private static final int WRITERS = 3;
    private static final int ITEMS = 4;
    private static final HttpClient HTTP = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1)
            .connectTimeout(Duration.ofSeconds(2)).build();

    @TestHTTPResource("/")
    URL base;

    /** What one writer sent: the batches acknowledged, and those whose outcome it was not told. */
    private record Writer(List<Integer> acked, Set<Integer> unknown) {
    }

    private final String tenant = "chaos-" + UUID.randomUUID().toString().substring(0, 8);
    private final String key = "sk-sl-chaos-" + UUID.randomUUID();
    private final String collection = "chaos";
    private final AtomicBoolean recovered = new AtomicBoolean();
    private final AtomicInteger ackedAfterRecovery = new AtomicInteger();

    @Test
    void acknowledgedWritesSurviveAServiceKillAndADatabaseCrash() throws Exception {
        Platform.addKey(key, tenant);
        Gateway.awaitKey(key);
        assertEquals(201, send("POST", "v1/collections", new JsonObject().put("name", collection)).statusCode());

        AtomicBoolean stop = new AtomicBoolean();
        List<Writer> writers = new ArrayList<>();
        List<Thread> threads = new ArrayList<>();
        for (int w = 0; w < WRITERS; w++) {
            Writer writer = new Writer(new ArrayList<>(), ConcurrentHashMap.newKeySet());
            writers.add(writer);
            int id = w;
            Thread t = new Thread(() -> write(id, writer, stop), "chaos-writer-" + id);
            t.start();
            threads.add(t);
        }

        Thread.sleep(3_000);
        Platform.killRetrieval();
        Thread.sleep(1_500);
        Platform.startRetrieval();
        Thread.sleep(2_000);
        Platform.db("stop.sh", "--immediate");
        Thread.sleep(1_500);
        Platform.db("start.sh");
        recovered.set(true);
        long deadline = System.nanoTime() + Duration.ofSeconds(40).toNanos();
        while (ackedAfterRecovery.get() < 10 && System.nanoTime() < deadline) {
            Thread.sleep(200);
        }
        stop.set(true);
        for (Thread t : threads) {
            t.join();
        }

        assertTrue(ackedAfterRecovery.get() >= 10, "writes did not succeed again after the restarts");
        int acked = 0;
        int unknown = 0;
        for (int w = 0; w < WRITERS; w++) {
            Writer writer = writers.get(w);
            acked += writer.acked().size();
            unknown += writer.unknown().size();
            for (int b : writer.acked()) {
                for (int i = 0; i < ITEMS; i++) {
                    assertEquals(text(w, b, i), stored(id(w, b, i)), "acknowledged item " + id(w, b, i));
                }
            }
            for (int b : writer.unknown()) {
                int present = 0;
                for (int i = 0; i < ITEMS; i++) {
                    String s = stored(id(w, b, i));
                    if (s != null) {
                        assertEquals(text(w, b, i), s);
                        present++;
                    }
                }
                assertTrue(present == 0 || present == ITEMS, "batch " + w + "/" + b + " half written: " + present);
            }
            // The shared id holds the last acknowledged version, or a later one whose outcome was unknown: never older.
            int last = writer.acked().get(writer.acked().size() - 1);
            String latest = stored("w" + w + "-latest");
            int version = Integer.parseInt(latest.substring(latest.lastIndexOf('v') + 1));
            assertTrue(version == last || (version > last && writer.unknown().contains(version)),
                    "w" + w + "-latest holds batch " + version + " but batch " + last + " was acknowledged after it");
        }
        assertTrue(unknown > 0, "the chaos did not reach the writers (no failed write)");
        System.out.printf("chaos: %d batches acknowledged, %d with an unknown outcome%n", acked, unknown);
    }

    private void write(int w, Writer writer, AtomicBoolean stop) {
        for (int b = 0; !stop.get(); b++) {
            JsonArray items = new JsonArray();
            for (int i = 0; i < ITEMS; i++) {
                items.add(new JsonObject().put("id", id(w, b, i)).put("text", text(w, b, i)));
            }
            items.add(new JsonObject().put("id", "w" + w + "-latest").put("text", "w" + w + " v" + b));
            boolean afterRecovery = recovered.get();
            try {
                HttpResponse<String> r = send("POST", "v1/collections/" + collection + "/items",
                        new JsonObject().put("items", items));
                if (r.statusCode() == 200) {
                    writer.acked().add(b);
                    if (afterRecovery) {
                        ackedAfterRecovery.incrementAndGet();
                    }
                } else if (r.statusCode() != 429) {
                    // 429 is refused before anything is done; anything else may or may not have been stored.
                    writer.unknown().add(b);
                }
                Thread.sleep(100);
            } catch (Exception e) {
                writer.unknown().add(b);
            }
        }
    }

    private static String id(int w, int b, int i) {
        return "w" + w + "-b" + b + "-" + i;
    }

    private static String text(int w, int b, int i) {
        return "chaos writer " + w + " batch " + b + " item " + i;
    }

    private HttpResponse<String> send(String method, String path, JsonObject body) throws Exception {
        return HTTP.send(HttpRequest.newBuilder(URI.create(base + path)).timeout(Duration.ofSeconds(20))
                .header("Authorization", "Bearer " + key).header("Content-Type", "application/json")
                .method(method, HttpRequest.BodyPublishers.ofString(body.encode())).build(),
                HttpResponse.BodyHandlers.ofString());
    }

    /** The item's text as stored, read from retrieval-service itself; null when it is not there. */
    private String stored(String id) throws Exception {
        HttpResponse<String> r = HTTP.send(HttpRequest.newBuilder(URI.create(Platform.retrievalUrl() + "/collections/"
                + collection + "/items/" + id)).header("Authorization", TestCredential.AUTHORIZATION)
                .header("X-Sightline-Tenant", tenant).build(), HttpResponse.BodyHandlers.ofString());
        if (r.statusCode() == 404) {
            return null;
        }
        assertEquals(200, r.statusCode(), r.body());
        return new JsonObject(r.body()).getString("text");
    }
}
