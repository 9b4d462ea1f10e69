package dev.sightline.retrieval.bulk;

import static dev.sightline.retrieval.support.Tenants.as;
import static org.hamcrest.Matchers.equalTo;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;

import dev.sightline.retrieval.store.CollectionStore;
import dev.sightline.retrieval.store.Partitions;
import dev.sightline.retrieval.support.Cosine;
import dev.sightline.retrieval.support.Eventually;
import dev.sightline.retrieval.support.Tenants;
import io.agroal.api.AgroalDataSource;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.QuarkusTestProfile;
import io.quarkus.test.junit.TestProfile;
import jakarta.inject.Inject;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.stream.IntStream;
import org.junit.jupiter.api.Test;

/** A large load into an empty collection leaves its index out and has it built once, after the load. */
@QuarkusTest
@TestProfile(DeferredIndexTest.SmallLoads.class)
class DeferredIndexTest {

    private static final int DIM = 16;

    @Inject
    AgroalDataSource dataSource;

    @Inject
    CollectionStore collections;

    /** Loads of 500+ items count as large; the builder looks every 200 ms and waits for 1 s of quiet. */
    public static class SmallLoads implements QuarkusTestProfile {
        @Override
        public Map<String, String> getConfigOverrides() {
            return Map.of("sightline.retrieval.bulk.defer-index-min-items", "500",
                    "sightline.retrieval.index-build.quiet-period", "1S",
                    "sightline.retrieval.index-build.check-interval", "200MS");
        }
    }

    private static String indexState(String t, String name) {
        return as(t).get("/collections/" + name).then().statusCode(200).extract().jsonPath().getString("index.state");
    }

    private static void awaitReady(String t, String name) throws InterruptedException {
        Eventually.within(60, "index of " + name + " built", () -> "ready".equals(indexState(t, name)));
    }

    private static Ndjson load(Random r, String prefix, int n, float[][] keep) {
        Ndjson body = new Ndjson();
        for (int i = 0; i < n; i++) {
            float[] v = Ndjson.random(r, DIM);
            if (keep != null) {
                keep[i] = v;
            }
            body.item(prefix + i, "image", v, "");
        }
        return body;
    }

    @Test
    void searchesAreExactWhileTheIndexIsPendingAndItIsBuiltAfterTheLoad() throws Exception {
        String t = Tenants.fresh();
        Tenants.collection(t, "d", DIM);
        assertEquals("ready", indexState(t, "d"));
        Random r = new Random(21);
        float[][] data = new float[1000][];
        load(r, "d", 1000, data).post(t, "d").statusCode(200).body("upserted", equalTo(1000));
        assertNotEquals("ready", indexState(t, "d"));

        // Meanwhile a search scans exactly: the true top 10, in order.
        float[] q = Ndjson.random(r, DIM);
        List<String> exact = IntStream.range(0, data.length).boxed()
                .sorted(Comparator.comparingDouble((Integer i) -> -Cosine.of(data[i], q))).limit(10)
                .map(i -> "d" + i).toList();
        List<String> got = Tenants.searchIds(t, "d", q, 10);
        assertEquals(exact, got);

        awaitReady(t, "d");
        // Now not empty: a second large load goes into the index as it is.
        load(r, "e", 600, null).post(t, "d").statusCode(200);
        assertEquals("ready", indexState(t, "d"));
        as(t).get("/collections/d").then().body("counts.image", equalTo(1600));
    }

    @Test
    void concurrentFirstLoadsAllLandAndTheIndexIsBuiltOnce() throws Exception {
        String t = Tenants.fresh();
        Tenants.collection(t, "c", DIM, "float16");
        ExecutorService pool = Executors.newFixedThreadPool(4);
        try {
            List<Future<Integer>> loads = new ArrayList<>();
            for (int k = 0; k < 4; k++) {
                Ndjson body = load(new Random(100 + k), "k" + k + "-", 600, null);
                loads.add(pool.submit(() -> body.post(t, "c").extract().statusCode()));
            }
            for (Future<Integer> f : loads) {
                assertEquals(200, f.get());
            }
        } finally {
            pool.shutdownNow();
        }
        as(t).get("/collections/c").then().body("counts.image", equalTo(2400));
        awaitReady(t, "c");
    }

    @Test
    void deletingACollectionCancelsItsIndexBuildSoOtherCollectionsGetTheirs() throws Exception {
        String t = Tenants.fresh();
        Tenants.collection(t, "gone", DIM);
        load(new Random(31), "g", 600, null).post(t, "gone").statusCode(200);
        String table = Partitions.table(collections.find(t, "gone").orElseThrow().id());
        // An open writer on the partition: CREATE INDEX CONCURRENTLY waits for it ("waiting for writers before
        // build"), a stand-in for a build that takes long, as one at a million vectors does.
        try (Connection writer = dataSource.getConnection()) {
            writer.setAutoCommit(false);
            try (Statement st = writer.createStatement()) {
                st.execute("LOCK TABLE " + table + " IN ROW EXCLUSIVE MODE");
            }
            Eventually.within(60, "the build of " + table + " starts", () -> buildsOn(table) == 1);
            as(t).delete("/collections/gone").then().statusCode(204);
            Eventually.within(60, "the deleted collection's build is cancelled", () -> buildsOn(table) == 0);
            // The builder is free for another collection, the writer still open.
            Tenants.collection(t, "next", DIM);
            load(new Random(32), "n", 600, null).post(t, "next").statusCode(200);
            awaitReady(t, "next");
            writer.rollback();
        }
        Eventually.within(60, "the deleted collection's partition is dropped", () -> !exists(table));
    }

    private int buildsOn(String table) {
        return count("SELECT count(*) FROM pg_stat_progress_create_index WHERE relid = to_regclass(?)", table);
    }

    private boolean exists(String table) {
        return count("SELECT count(*) FROM pg_class WHERE oid = to_regclass(?)", table) > 0;
    }

    private int count(String sql, String table) {
        try (Connection c = dataSource.getConnection(); PreparedStatement ps = c.prepareStatement(sql)) {
            ps.setString(1, table);
            try (ResultSet rs = ps.executeQuery()) {
                rs.next();
                return rs.getInt(1);
            }
        } catch (SQLException e) {
            throw new IllegalStateException(e);
        }
    }
}
