package dev.sightline.retrieval.api;

import static dev.sightline.retrieval.support.Tenants.as;
import static org.hamcrest.Matchers.contains;
import static org.hamcrest.Matchers.empty;
import static org.hamcrest.Matchers.equalTo;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.sightline.retrieval.support.Tenants;
import io.agroal.api.AgroalDataSource;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.path.json.JsonPath;
import io.restassured.response.ValidatableResponse;
import jakarta.inject.Inject;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** A retried or late write never overwrites a newer acknowledged write of the same id. */
@QuarkusTest
class ItemVersionTest {

    @Inject
    AgroalDataSource dataSource;

    private String tenant;

    @BeforeEach
    void collection() {
        tenant = Tenants.fresh();
        Tenants.collection(tenant, "c", 2);
    }

    /** An item whose vector and metadata say which version wrote it. */
    private static Map<String, Object> item(String id, Long version) {
        Map<String, Object> it = new HashMap<>();
        it.put("id", id);
        it.put("vector", new float[] {1, version == null ? -1 : version});
        it.put("modality", "image");
        it.put("metadata", Map.of("written_by", version == null ? -1 : version));
        if (version != null) {
            it.put("version", version);
        }
        return it;
    }

    private ValidatableResponse write(List<Map<String, Object>> items) {
        return as(tenant).body(Map.of("items", items)).post("/collections/c/items").then().statusCode(200);
    }

    private JsonPath stored(String id) {
        return as(tenant).get("/collections/c/items/" + id).then().statusCode(200).extract().jsonPath();
    }

    /** The stored version (internal: the API answers with content, not versions). */
    private long version(String id) throws SQLException {
        try (Connection c = dataSource.getConnection(); PreparedStatement ps = c.prepareStatement("SELECT i.version"
                + " FROM items i JOIN collections c ON c.id = i.collection_id WHERE c.tenant = ? AND c.name = 'c'"
                + " AND i.external_id = ?")) {
            ps.setString(1, tenant);
            ps.setString(2, id);
            try (ResultSet rs = ps.executeQuery()) {
                assertTrue(rs.next(), id);
                return rs.getLong(1);
            }
        }
    }

    @Test
    void aNewerVersionOverwrites() throws SQLException {
        write(List.of(item("a", 100L))).body("upserted", equalTo(1)).body("stale", empty());
        write(List.of(item("a", 200L))).body("upserted", equalTo(1)).body("stale", empty());
        assertEquals(200L, version("a"));
        assertEquals(200, stored("a").getInt("metadata.written_by"));
    }

    @Test
    void anOlderVersionIsSkippedAndReportedStale() throws SQLException {
        write(List.of(item("a", 200L)));
        write(List.of(item("a", 150L))).body("collection", equalTo("c")).body("upserted", equalTo(0))
                .body("stale", contains("a"));
        assertEquals(200L, version("a"));
        assertEquals(200, stored("a").getInt("metadata.written_by"));
    }

    @Test
    void theSameVersionAgainIsTheWriteRetriedAndAppliesAgain() throws SQLException {
        write(List.of(item("a", 300L))).body("upserted", equalTo(1));
        write(List.of(item("a", 300L))).body("upserted", equalTo(1)).body("stale", empty());
        assertEquals(300L, version("a"));
        assertEquals(300, stored("a").getInt("metadata.written_by"));
    }

    @Test
    void aBatchWritesItsCurrentItemsAndListsItsStaleOnesInIdOrder() {
        write(List.of(item("b", 50L), item("d", 50L), item("a", 50L)));
        write(List.of(item("d", 40L), item("a", 60L), item("c", 1L), item("b", 10L))).body("upserted", equalTo(2))
                .body("stale", contains("b", "d"));
        assertEquals(60, stored("a").getInt("metadata.written_by"));
        assertEquals(50, stored("b").getInt("metadata.written_by"));
        assertEquals(1, stored("c").getInt("metadata.written_by"));
        assertEquals(50, stored("d").getInt("metadata.written_by"));
    }

    @Test
    void aWriteWithoutVersionAlwaysAppliesAndOutranksTheVersionItReplaces() throws SQLException {
        long before = System.currentTimeMillis() * 1000;
        write(List.of(item("fresh", null))).body("upserted", equalTo(1));
        long assigned = version("fresh");
        long after = System.currentTimeMillis() * 1000;
        // The store's clock: microseconds since the epoch (the database's clock, on this machine).
        assertTrue(assigned >= before - 60_000_000L && assigned <= after + 60_000_000L, "assigned " + assigned);

        long future = after + 3_600_000_000L;
        write(List.of(item("a", future)));
        write(List.of(item("a", null))).body("upserted", equalTo(1)).body("stale", empty());
        assertEquals(future + 1, version("a"));
        assertEquals(-1, stored("a").getInt("metadata.written_by"));
        // The versioned write it replaced, arriving again late, no longer applies.
        write(List.of(item("a", future))).body("upserted", equalTo(0)).body("stale", contains("a"));
        assertEquals(-1, stored("a").getInt("metadata.written_by"));
    }

    /** One acknowledged write of the concurrent test: its version, when it was sent and answered, its stale ids. */
    private record Write(long version, long start, long end, List<String> stale) {
    }

    @Test
    void concurrentWritersLeaveEachItemWithItsHighestVersion() throws Exception {
        int writers = 8;
        int rounds = 12;
        List<String> ids = List.of("k0", "k1", "k2", "k3", "k4", "k5", "k6", "k7", "k8", "k9");
        // Distinct versions in an order unrelated to when they are sent.
        List<Long> versions = new ArrayList<>();
        for (long v = 1; v <= (long) writers * rounds; v++) {
            versions.add(1_000 + v * 7);
        }
        Collections.shuffle(versions, new Random(17));
        List<Write> writes = Collections.synchronizedList(new ArrayList<>());
        ExecutorService pool = Executors.newFixedThreadPool(writers);
        try {
            List<Future<?>> done = new ArrayList<>();
            for (int w = 0; w < writers; w++) {
                int writer = w;
                done.add(pool.submit(() -> {
                    for (int r = 0; r < rounds; r++) {
                        long version = versions.get(writer * rounds + r);
                        List<Map<String, Object>> batch = new ArrayList<>();
                        for (String id : ids) {
                            batch.add(item(id, version));
                        }
                        if (writer % 2 == 1) {
                            Collections.reverse(batch);
                        }
                        long start = System.nanoTime();
                        JsonPath answer = write(batch).extract().jsonPath();
                        long end = System.nanoTime();
                        List<String> stale = answer.getList("stale", String.class);
                        assertEquals(ids.size(), answer.getInt("upserted") + stale.size());
                        writes.add(new Write(version, start, end, stale));
                    }
                    return null;
                }));
            }
            for (Future<?> f : done) {
                f.get(120, TimeUnit.SECONDS);
            }
        } finally {
            pool.shutdownNow();
        }
        long highest = Collections.max(versions);
        for (String id : ids) {
            JsonPath item = as(tenant).get("/collections/c/items/" + id + "?include=vector").then().statusCode(200)
                    .extract().jsonPath();
            assertEquals(highest, version(id), id);
            assertEquals(highest, item.getLong("metadata.written_by"), id);
            assertEquals((float) highest, item.getFloat("vector[1]"), id);
        }
        assertEquals(writers * rounds, writes.size());
        for (Write w : writes) {
            // Once a higher version was acknowledged, a write that starts later is skipped entirely ...
            boolean newerAcknowledgedBefore = writes.stream().anyMatch(o -> o.version() > w.version() && o.end() < w.start());
            if (newerAcknowledgedBefore) {
                assertEquals(ids, w.stale(), "version " + w.version());
            }
            // ... and a write is skipped only because of a higher version written before it finished.
            if (!w.stale().isEmpty()) {
                assertTrue(writes.stream().anyMatch(o -> o.version() > w.version() && o.start() < w.end()),
                        "version " + w.version() + " skipped with nothing newer");
            }
        }
        assertEquals(List.of(), writes.stream().filter(w -> w.version() == highest).findFirst().orElseThrow().stale());
    }
}
