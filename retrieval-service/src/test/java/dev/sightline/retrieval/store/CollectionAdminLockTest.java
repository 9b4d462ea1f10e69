package dev.sightline.retrieval.store;

import static dev.sightline.retrieval.support.Tenants.as;
import static dev.sightline.retrieval.support.Tenants.item;
import static org.hamcrest.Matchers.contains;
import static org.hamcrest.Matchers.equalTo;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.sightline.testsupport.Eventually;
import dev.sightline.retrieval.support.Tenants;
import io.agroal.api.AgroalDataSource;
import io.quarkus.test.junit.QuarkusTest;
import jakarta.inject.Inject;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * Collection admin takes no lock that makes other tenants wait: with another tenant's transaction open on its own
 * collection (and so holding a lock on {@code items}), creating and deleting collections completes, and other
 * tenants' searches and writes go on. Liveness, not timing: each step only has to finish within a generous bound.
 */
@QuarkusTest
class CollectionAdminLockTest {

    private static final long BOUND_SECONDS = 60;

    @Inject
    AgroalDataSource dataSource;

    @Inject
    CollectionStore collections;

    private ExecutorService pool;
    private String holder;
    private String bystander;
    private String admin;

    @BeforeEach
    void tenants() throws InterruptedException {
        // Earlier tests' deletes are finished first: a detach in progress would be a second one here.
        Eventually.within(BOUND_SECONDS, "earlier deletes' partitions are dropped", () -> pendingDrops() == 0);
        pool = Executors.newCachedThreadPool();
        holder = Tenants.fresh();
        Tenants.collection(holder, "held", 2);
        Tenants.upsert(holder, "held", List.of(item("h1", new float[] {1, 0}, "image"), item("h2", new float[] {0, 1}, "image")));
        bystander = Tenants.fresh();
        Tenants.collection(bystander, "busy", 2);
        Tenants.upsert(bystander, "busy", List.of(item("b1", new float[] {1, 0}, "image"), item("b2", new float[] {1, 1}, "text")));
        admin = Tenants.fresh();
    }

    @AfterEach
    void stop() {
        pool.shutdownNow();
    }

    /** Runs the step on another thread and fails the test if it has not finished within the bound. */
    private void completes(String what, Runnable step) throws Exception {
        try {
            pool.submit(step).get(BOUND_SECONDS, TimeUnit.SECONDS);
        } catch (java.util.concurrent.TimeoutException e) {
            throw new AssertionError(what + " did not complete within " + BOUND_SECONDS + " s", e);
        }
    }

    /** A transaction that has read the holder's collection and stays open, as a long report would. */
    private Connection longTransaction() throws SQLException {
        long held = collections.find(holder, "held").orElseThrow().id();
        Connection c = dataSource.getConnection();
        c.setAutoCommit(false);
        try (PreparedStatement ps = c.prepareStatement("SELECT count(*) FROM items WHERE collection_id = ?")) {
            ps.setLong(1, held);
            try (ResultSet rs = ps.executeQuery()) {
                rs.next();
                assertEquals(2, rs.getInt(1));
            }
        }
        return c;
    }

    private <T> T sql(String query, long id, Class<T> type) {
        try (Connection c = dataSource.getConnection(); PreparedStatement ps = c.prepareStatement(query)) {
            ps.setString(1, Partitions.table(id));
            try (ResultSet rs = ps.executeQuery()) {
                return rs.next() ? rs.getObject(1, type) : null;
            }
        } catch (SQLException e) {
            throw new IllegalStateException(e);
        }
    }

    private boolean tableExists(long id) {
        return sql("SELECT to_regclass(?) IS NOT NULL", id, Boolean.class);
    }

    private Boolean detachPending(long id) {
        return sql("SELECT inhdetachpending FROM pg_inherits WHERE inhrelid = to_regclass(?)", id, Boolean.class);
    }

    private int pendingDrops() {
        try (Connection c = dataSource.getConnection(); Statement st = c.createStatement();
                ResultSet rs = st.executeQuery("SELECT count(*) FROM partition_drops")) {
            rs.next();
            return rs.getInt(1);
        } catch (SQLException e) {
            throw new IllegalStateException(e);
        }
    }

    private boolean listedForDrop(long id) {
        try (Connection c = dataSource.getConnection();
                PreparedStatement ps = c.prepareStatement("SELECT 1 FROM partition_drops WHERE collection_id = ?")) {
            ps.setLong(1, id);
            try (ResultSet rs = ps.executeQuery()) {
                return rs.next();
            }
        } catch (SQLException e) {
            throw new IllegalStateException(e);
        }
    }

    /** Other tenants' searches and writes, the work that must never wait for collection admin. */
    private void othersWorkGoesOn(int round) throws Exception {
        completes("a bystander's search", () -> as(bystander).body(Map.of("vector", new float[] {1, 0}, "top_k", 1))
                .post("/collections/busy/search").then().statusCode(200).body("results.id", contains("b1")));
        completes("a bystander's write", () -> as(bystander).body(Map.of("items",
                List.of(item("w" + round, new float[] {round, 1}, "image")))).post("/collections/busy/items").then()
                .statusCode(200).body("upserted", equalTo(1)));
        completes("the holder's own search", () -> as(holder).body(Map.of("vector", new float[] {0, 1}, "top_k", 1))
                .post("/collections/held/search").then().statusCode(200).body("results.id", contains("h2")));
    }

    @Test
    void creatingAndDeletingCollectionsNeitherWaitsForNorStopsOtherTenants() throws Exception {
        Tenants.collection(admin, "old", 2);
        Tenants.upsert(admin, "old", List.of(item("o1", new float[] {1, 0}, "image")));
        long old = collections.find(admin, "old").orElseThrow().id();
        try (Connection open = longTransaction()) {
            othersWorkGoesOn(1);
            completes("creating a collection", () -> Tenants.collection(admin, "fresh", 2));
            completes("writing to it", () -> Tenants.upsert(admin, "fresh", List.of(item("f1", new float[] {1, 0}, "image"))));
            completes("searching it", () -> as(admin).body(Map.of("vector", new float[] {1, 0})).post("/collections/fresh/search")
                    .then().statusCode(200).body("results.id", contains("f1")));
            othersWorkGoesOn(2);
            completes("deleting a collection", () -> as(admin).delete("/collections/old").then().statusCode(204));
            as(admin).get("/collections/old").then().statusCode(404);
            as(admin).get("/collections").then().body("collections.name", contains("fresh"));
            // The name is free at once, for a collection of another shape.
            completes("re-creating the name", () -> Tenants.collection(admin, "old", 3));
            as(admin).get("/collections/old").then().statusCode(200).body("dimension", equalTo(3))
                    .body("counts.image", equalTo(0));
            completes("deleting the new one too", () -> as(admin).delete("/collections/fresh").then().statusCode(204));
            othersWorkGoesOn(3);
            // The old partition cannot be detached while a transaction older than the detach holds items.
            assertTrue(tableExists(old));
            assertTrue(listedForDrop(old));
            open.commit();
        }
        Eventually.within(BOUND_SECONDS, "the deleted collection's partition is dropped",
                () -> !tableExists(old) && !listedForDrop(old));
        as(admin).get("/collections/old").then().statusCode(200).body("dimension", equalTo(3));
    }

    @Test
    void aDetachLeftPendingByACrashIsFinishedLaterWithoutStoppingOthers() throws Exception {
        Tenants.collection(admin, "doomed", 2);
        Tenants.upsert(admin, "doomed", List.of(item("d1", new float[] {1, 0}, "image")));
        long doomed = collections.find(admin, "doomed").orElseThrow().id();
        try (Connection open = longTransaction()) {
            // What a delete commits, then a detach that dies halfway, as when the service is killed meanwhile:
            // the partition stays "pending detach" and only DETACH … FINALIZE can complete it.
            try (Connection c = dataSource.getConnection(); Statement st = c.createStatement()) {
                c.setAutoCommit(true);
                st.execute("DELETE FROM collections WHERE id = " + doomed);
                st.execute("SET statement_timeout = 1000");
                SQLException cut = assertThrows(SQLException.class,
                        () -> st.execute("ALTER TABLE items DETACH PARTITION " + Partitions.table(doomed) + " CONCURRENTLY"));
                assertEquals("57014", cut.getSQLState());
                st.execute("RESET statement_timeout");
                assertEquals(Boolean.TRUE, detachPending(doomed));
                st.execute("INSERT INTO partition_drops (collection_id) VALUES (" + doomed + ")");
            }
            // The dropper now retries FINALIZE, which waits for the open transaction; everyone else goes on.
            othersWorkGoesOn(1);
            completes("creating a collection", () -> Tenants.collection(admin, "next", 2));
            completes("deleting it", () -> as(admin).delete("/collections/next").then().statusCode(204));
            othersWorkGoesOn(2);
            assertEquals(Boolean.TRUE, detachPending(doomed));
            open.commit();
        }
        Eventually.within(BOUND_SECONDS, "the pending partition is finished and dropped",
                () -> !tableExists(doomed) && !listedForDrop(doomed));
    }
}
