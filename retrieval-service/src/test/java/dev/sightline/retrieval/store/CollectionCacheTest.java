package dev.sightline.retrieval.store;

import static dev.sightline.retrieval.support.Tenants.as;
import static org.hamcrest.Matchers.equalTo;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.sightline.retrieval.support.Tenants;
import io.agroal.api.AgroalDataSource;
import io.quarkus.test.junit.QuarkusTest;
import jakarta.inject.Inject;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * Searches take their collection from a cache; another replica deleting or replacing the collection (done here in
 * SQL, behind this service's back, as that replica's service would) must never let the cache serve its rows.
 */
@QuarkusTest
class CollectionCacheTest {

    @Inject
    AgroalDataSource dataSource;

    @Inject
    CollectionCache cache;

    /** top_k 1: a stale collection's rows would fill the answer, so only the statement's own check can stop them. */
    private static List<String> search(String t, String name, float[] q) {
        return Tenants.searchIds(t, name, q, 1);
    }

    /** What CollectionStore.delete does, from another replica: the row goes, the partition is listed for dropping. */
    private void deleteElsewhere(String tenant, String name) throws Exception {
        try (Connection c = dataSource.getConnection()) {
            c.setAutoCommit(false);
            long id;
            try (PreparedStatement ps = c.prepareStatement(
                    "DELETE FROM collections WHERE tenant = ? AND name = ? RETURNING id")) {
                ps.setString(1, tenant);
                ps.setString(2, name);
                try (ResultSet rs = ps.executeQuery()) {
                    assertTrue(rs.next());
                    id = rs.getLong(1);
                }
            }
            try (PreparedStatement ps = c.prepareStatement("INSERT INTO partition_drops (collection_id) VALUES (?)")) {
                ps.setLong(1, id);
                ps.executeUpdate();
            }
            c.commit();
        }
    }

    @Test
    void aCollectionDeletedByAnotherReplicaIsNotFoundAtOnce() throws Exception {
        String t = Tenants.fresh();
        Tenants.collection(t, "c", 3);
        Tenants.upsert(t, "c", List.of(Tenants.item("a", new float[] {1, 0, 0}, "image"),
                Tenants.item("b", new float[] {0, 1, 0}, "image")));
        assertEquals(List.of("a"), search(t, "c", new float[] {1, 0.1f, 0}));
        assertTrue(cache.get(t, "c").isPresent(), "the search cached its collection");

        deleteElsewhere(t, "c");
        as(t).body(Map.of("vector", new float[] {1, 0, 0}, "top_k", 1)).post("/collections/c/search").then()
                .statusCode(404);
        assertTrue(cache.get(t, "c").isEmpty(), "the stale entry is gone");
    }

    @Test
    void aCollectionReplacedByAnotherReplicaServesOnlyTheNewOnesRows() throws Exception {
        String t = Tenants.fresh();
        Tenants.collection(t, "c", 3);
        Tenants.upsert(t, "c", List.of(Tenants.item("old-1", new float[] {1, 0, 0}, "image"),
                Tenants.item("old-2", new float[] {0, 1, 0}, "image")));
        assertEquals(List.of("old-1"), search(t, "c", new float[] {1, 0, 0}));

        // Replaced with the same dimension: the cached id is gone, the new collection's rows are served.
        deleteElsewhere(t, "c");
        Tenants.collection(t, "c", 3);
        Tenants.upsert(t, "c", List.of(Tenants.item("new-1", new float[] {1, 0, 0}, "image")));
        assertEquals(List.of("new-1"), search(t, "c", new float[] {1, 0, 0}));

        // Replaced with another dimension: a query of the new dimension is not refused by the stale entry.
        search(t, "c", new float[] {1, 0, 0});
        deleteElsewhere(t, "c");
        Tenants.collection(t, "c", 4);
        Tenants.upsert(t, "c", List.of(Tenants.item("four", new float[] {0, 0, 0, 1}, "image")));
        assertEquals(List.of("four"), search(t, "c", new float[] {0, 0, 0, 1}));
    }

    @Test
    void anotherTenantNeverReachesACachedCollectionOfTheSameName() {
        String owner = Tenants.fresh();
        String other = Tenants.fresh();
        Tenants.collection(owner, "shared-name", 3);
        Tenants.upsert(owner, "shared-name", List.of(Tenants.item("secret", new float[] {1, 0, 0}, "image")));
        assertEquals(List.of("secret"), search(owner, "shared-name", new float[] {1, 0, 0}));
        as(other).body(Map.of("vector", new float[] {1, 0, 0})).post("/collections/shared-name/search").then()
                .statusCode(404).body("status", equalTo(404));
    }
}
