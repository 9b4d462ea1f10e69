package dev.sightline.retrieval.bench;

import dev.sightline.retrieval.Collection;
import dev.sightline.retrieval.store.CollectionStore;
import dev.sightline.retrieval.store.Partitions;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;

/**
 * The PostgreSQL cluster under the service, reached directly: SIGHTLINE_PG_JDBC_URL / _USER / _PASSWORD (default
 * the db/start.sh cluster), which the service inherits too.
 */
final class BenchDatabase {

    private final String url;
    private final String user;
    private final String password;

    BenchDatabase(String url, String user, String password) {
        this.url = url;
        this.user = user;
        this.password = password;
    }

    static BenchDatabase fromEnvironment() {
        return new BenchDatabase(env("SIGHTLINE_PG_JDBC_URL", "jdbc:postgresql://127.0.0.1:55432/sightline"),
                env("SIGHTLINE_PG_USER", "sightline"), env("SIGHTLINE_PG_PASSWORD", "sightline"));
    }

    String user() {
        return user;
    }

    String password() {
        return password;
    }

    Connection connect() throws SQLException {
        return DriverManager.getConnection(url, user, password);
    }

    /** Prints the server and the settings that matter to the figures. */
    void describe() throws SQLException {
        System.out.printf("database: %s as %s%n", url, user);
        try (Connection c = connect(); Statement st = c.createStatement()) {
            System.out.println("  " + one(st, "SELECT version()"));
            System.out.printf("  pgvector %s, shared_buffers %s, max_parallel_maintenance_workers %s, "
                    + "synchronous_commit %s%n", one(st, "SELECT extversion FROM pg_extension WHERE extname = 'vector'"),
                    one(st, "SHOW shared_buffers"), one(st, "SHOW max_parallel_maintenance_workers"),
                    one(st, "SHOW synchronous_commit"));
        }
    }

    /** A loaded collection and the sizes of its index and partition. */
    record Loaded(Collection collection, long indexBytes, long tableBytes) {
    }

    /**
     * Checks the loaded row count and that the HNSW index is valid, vacuums the partition (so that autovacuum does
     * not start during the measurements), and measures the index and the partition.
     */
    Loaded settle(String name, int expectedRows) throws SQLException {
        try (Connection c = connect(); Statement st = c.createStatement()) {
            Collection col = collection(c, name);
            String table = Partitions.table(col.id());
            String index = Partitions.index(col.id());
            long rows = Long.parseLong(one(st, "SELECT count(*) FROM items WHERE collection_id = " + col.id()));
            if (rows != expectedRows) {
                throw new IllegalStateException("collection has " + rows + " items, expected " + expectedRows);
            }
            if (!"t".equals(one(st, "SELECT indisvalid FROM pg_index WHERE indexrelid = '" + index + "'::regclass"))) {
                throw new IllegalStateException("index " + index + " is not valid");
            }
            long v0 = System.nanoTime();
            st.execute("VACUUM (ANALYZE) " + table);
            long indexBytes = Long.parseLong(one(st, "SELECT pg_relation_size('" + index + "')"));
            long tableBytes = Long.parseLong(one(st, "SELECT pg_total_relation_size('" + table + "')"));
            System.out.printf("VACUUM (ANALYZE) %s: %.1f s; HNSW index %s (m=%d, ef_construction=%d): %s; partition "
                    + "with every index: %s%n", table, Stopwatch.secondsSince(v0), index, col.hnswM(),
                    col.hnswEfConstruction(), mib(indexBytes), mib(tableBytes));
            return new Loaded(col, indexBytes, tableBytes);
        }
    }

    static String mib(long bytes) {
        return String.format("%,.0f MiB", bytes / 1048576.0);
    }

    /** Checkpoints started since the statistics reset (timed + requested), from pg_stat_bgwriter. */
    String checkpoints() {
        try (Connection c = connect(); Statement st = c.createStatement()) {
            return one(st, "SELECT checkpoints_timed + checkpoints_req FROM pg_stat_bgwriter");
        } catch (SQLException | RuntimeException e) {
            return "n/a";
        }
    }

    /** pg_stat_wal.wal_sync (WAL flushes to disk, cluster-wide), or -1. */
    long walSyncs() {
        try (Connection c = connect(); Statement st = c.createStatement()) {
            return Long.parseLong(one(st, "SELECT wal_sync FROM pg_stat_wal"));
        } catch (SQLException | RuntimeException e) {
            return -1;
        }
    }

    /** Deletes the benchmark's collection and its partition without the service (which is gone or failing). */
    void deleteCollection(String name) {
        try (Connection c = connect()) {
            c.setAutoCommit(false);
            Long id = null;
            try (PreparedStatement ps = c.prepareStatement(
                    "DELETE FROM collections WHERE tenant = ? AND name = ? RETURNING id")) {
                ps.setString(1, Settings.TENANT);
                ps.setString(2, name);
                try (ResultSet rs = ps.executeQuery()) {
                    if (rs.next()) {
                        id = rs.getLong(1);
                    }
                }
            }
            if (id != null) {
                try (Statement st = c.createStatement()) {
                    st.execute("DROP TABLE IF EXISTS " + Partitions.table(id));
                }
            }
            c.commit();
            System.out.printf("deleted collection %s/%s directly in the database (%s)%n", Settings.TENANT, name,
                    id == null ? "it did not exist" : "id " + id);
        } catch (SQLException e) {
            System.out.println("could not delete collection " + name + ": " + e);
        }
    }

    static String one(Statement st, String sql) throws SQLException {
        try (ResultSet rs = st.executeQuery(sql)) {
            rs.next();
            return rs.getString(1);
        }
    }

    private static Collection collection(Connection c, String name) throws SQLException {
        try (PreparedStatement ps = c.prepareStatement("SELECT " + CollectionStore.COLUMNS
                + " FROM collections WHERE tenant = 'bench' AND name = ?")) {
            ps.setString(1, name);
            try (ResultSet rs = ps.executeQuery()) {
                if (!rs.next()) {
                    throw new IllegalStateException("collection " + name + " not found in the database");
                }
                return CollectionStore.map(rs);
            }
        }
    }

    private static String env(String name, String dflt) {
        String v = System.getenv(name);
        return v == null || v.isBlank() ? dflt : v;
    }
}
