package dev.sightline.retrieval.store;

import static dev.sightline.retrieval.support.Tenants.as;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.sightline.retrieval.Migration;
import dev.sightline.retrieval.SourceItem;
import dev.sightline.retrieval.support.Tenants;
import io.agroal.api.AgroalDataSource;
import io.quarkus.test.junit.QuarkusTest;
import jakarta.inject.Inject;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.Statement;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Test;

/**
 * Two workers (as two replicas would be) and one job: only the lease holder claims it and writes; when its lease runs
 * out the other takes it over from the committed cursor, and the first one's late batch is refused, writing nothing.
 * The worker threads of the service are off in tests: the workers here are the store's calls under two names.
 */
@QuarkusTest
class MigrationLeaseTest {

    private static final Duration LEASE = Duration.ofMillis(800);

    @Inject
    MigrationStore store;

    @Inject
    AgroalDataSource dataSource;

    @Test
    void oneWorkerAtATimeAndALostLeaseWritesNothing() throws Exception {
        // Jobs other tests left queued would be claimed first: they end here, their shadows dropped as a cancel does.
        sql("WITH ended AS (UPDATE migrations SET state = 'cancelled', finished_at = now()"
                + " WHERE state IN ('queued', 'running') RETURNING shadow_id),"
                + " gone AS (DELETE FROM collections WHERE id IN (SELECT shadow_id FROM ended) RETURNING id)"
                + " INSERT INTO partition_drops (collection_id) SELECT id FROM gone ON CONFLICT DO NOTHING");
        String t = Tenants.fresh();
        as(t).body(Map.of("dimension", 4, "model", "test")).put("/collections/docs").then().statusCode(201);
        List<Map<String, Object>> items = new ArrayList<>();
        for (int i = 0; i < 6; i++) {
            items.add(Map.of("id", "d" + i, "vector", new float[] {1, i, 0, 0}, "modality", "text", "text", "doc " + i));
        }
        as(t).body(Map.of("items", items)).post("/collections/docs/items").then().statusCode(200);
        as(t).body(Map.of("model", "next", "dimension", 2)).post("/collections/docs/migrations").then()
                .statusCode(202);

        Migration a = store.claim("worker-a", LEASE).orElseThrow();
        assertEquals("running", a.state());
        assertEquals(Optional.empty(), store.claim("worker-b", LEASE), "claimed twice while the lease holds");

        List<SourceItem> first = store.nextItems(a, 4);
        assertEquals(List.of("d0", "d1", "d2", "d3"), first.stream().map(SourceItem::id).toList());
        assertTrue(store.copy(a, "worker-a", LEASE, first, vectors(first.size()), false));
        assertEquals(4, shadowRows(a));

        Thread.sleep(LEASE.toMillis() + 400);
        Migration b = store.claim("worker-b", LEASE).orElseThrow();
        assertEquals(a.id(), b.id());
        assertEquals("d3", b.cursor());
        assertEquals(4, b.done());

        // worker-a comes back with a batch read before it lost the lease: refused, nothing written or counted.
        List<SourceItem> late = store.nextItems(a, 4);
        assertFalse(store.copy(a, "worker-a", LEASE, late, vectors(late.size()), true));
        assertEquals(4, shadowRows(a));

        List<SourceItem> rest = store.nextItems(b, 4);
        assertEquals(List.of("d4", "d5"), rest.stream().map(SourceItem::id).toList());
        assertTrue(store.copy(b, "worker-b", LEASE, rest, vectors(rest.size()), true));
        assertTrue(store.trySwitch(store.reload(b).orElseThrow(), "worker-b", LEASE));
        Migration done = store.reload(b).orElseThrow();
        assertEquals("succeeded", done.state());
        assertEquals(6, done.done());
        as(t).get("/collections/docs").then().statusCode(200).body("model", org.hamcrest.Matchers.equalTo("next"))
                .body("dimension", org.hamcrest.Matchers.equalTo(2)).body("counts.text", org.hamcrest.Matchers.equalTo(6));
    }

    private static List<float[]> vectors(int n) {
        List<float[]> out = new ArrayList<>();
        for (int i = 0; i < n; i++) {
            out.add(new float[] {1, i + 1});
        }
        return out;
    }

    private int shadowRows(Migration m) throws Exception {
        try (Connection c = dataSource.getConnection(); Statement st = c.createStatement();
                ResultSet rs = st.executeQuery("SELECT count(*) FROM items WHERE collection_id = " + m.shadowId())) {
            rs.next();
            return rs.getInt(1);
        }
    }

    private void sql(String statement) throws Exception {
        try (Connection c = dataSource.getConnection(); Statement st = c.createStatement()) {
            st.executeUpdate(statement);
        }
    }
}
