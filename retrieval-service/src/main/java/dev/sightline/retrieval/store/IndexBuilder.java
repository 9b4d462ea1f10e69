package dev.sightline.retrieval.store;

import com.fasterxml.jackson.annotation.JsonInclude;
import dev.sightline.retrieval.Collection;
import dev.sightline.retrieval.config.RetrievalConfig;
import io.quarkus.runtime.ShutdownEvent;
import io.quarkus.runtime.StartupEvent;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ScheduledFuture;
import org.jboss.logging.Logger;

/**
 * HNSW indexes built once after a bulk load instead of maintained row by row during it.
 *
 * <p>A large write into an empty collection drops the collection's index in its own transaction ({@link
 * #dropForLoad}); this builder finds collections without a valid index, waits until their rows have stopped changing
 * for {@code index-build.quiet-period} (so a load sent as many requests is indexed once, at its end), and runs
 * {@code CREATE INDEX CONCURRENTLY} with {@code maintenance_work_mem} and parallel workers from the configuration:
 * writes go on during the build and are in the index when it is done. Searches meanwhile are exact scans (complete,
 * slower). A pg advisory lock per collection keeps one build per collection across replicas and keeps a load from
 * dropping an index being built; a build interrupted by a crash leaves an invalid index, dropped and rebuilt here.
 */
@ApplicationScoped
public class IndexBuilder {

    private static final Logger LOG = Logger.getLogger(IndexBuilder.class);
    /** First key of the two-key advisory lock; the second is the collection id. */
    private static final int LOCK_CLASS = 0x5349_4458;
    private static final String LOCK_ID = "(? % 2147483647)::int";

    /**
     * Collections without a valid index (none, or one left invalid by an interrupted build) and not held by a load
     * still coming ({@link #hold}).
     */
    private static final String UNINDEXED = "SELECT " + CollectionStore.COLUMNS + " FROM collections c"
            + " WHERE NOT EXISTS (SELECT 1 FROM pg_index x WHERE x.indexrelid = to_regclass('items_c' || c.id || '_hnsw')"
            + " AND x.indisvalid)"
            + " AND NOT EXISTS (SELECT 1 FROM index_holds h WHERE h.collection_id = c.id AND h.until > now())"
            + " ORDER BY id";

    private final Database db;
    private final RetrievalConfig.IndexBuild config;
    private final BackgroundPass passes = new BackgroundPass("index-builder", this::passQuietly);
    /** Per collection waiting for its build: the row-change count last seen and since when (nanoTime). */
    private final Map<Long, long[]> activity = new HashMap<>();

    public IndexBuilder(Database db, RetrievalConfig config) {
        this.db = db;
        this.config = config.indexBuild();
        if (!this.config.maintenanceWorkMem().matches("[0-9]+\\s*(kB|MB|GB|TB)?")) {
            throw new IllegalArgumentException("sightline.retrieval.index-build.maintenance-work-mem must look like"
                    + " 512MB or 4GB, not " + this.config.maintenanceWorkMem());
        }
    }

    void start(@Observes StartupEvent e) {
        passes.start(config.checkInterval(), 2); // the second thread reports a running build's progress
    }

    void stop(@Observes ShutdownEvent e) {
        passes.stop();
    }

    /** Looks for work soon (after a load) instead of at the next interval. */
    public void wake() {
        passes.wake();
    }

    /**
     * In a load's transaction, before its rows are written: drops the collection's index when the collection is
     * empty, so the load writes no index entries and the index is built once afterwards. Never waits for another
     * load or a build (a try-lock): when one holds the collection, this load simply goes into whatever index there is.
     */
    void dropForLoad(Connection c, Collection col) throws SQLException {
        String index = Partitions.index(col.id());
        try (PreparedStatement ps = c.prepareStatement("SELECT to_regclass(?) IS NOT NULL"
                + " AND pg_try_advisory_xact_lock(?, " + LOCK_ID + ")"
                + " AND NOT EXISTS (SELECT 1 FROM " + Partitions.table(col.id()) + ")")) {
            ps.setString(1, index);
            ps.setInt(2, LOCK_CLASS);
            ps.setLong(3, col.id());
            try (ResultSet rs = ps.executeQuery()) {
                if (!rs.next() || !rs.getBoolean(1)) {
                    return;
                }
            }
        }
        try (Statement st = c.createStatement()) {
            st.execute("DROP INDEX IF EXISTS " + index);
        }
        LOG.infof("collection %d: index dropped for a bulk load into the empty collection; built after the load",
                col.id());
    }

    /**
     * Before a request of a load that says more requests follow ({@code more=true}): holds the collection's deferred
     * index build until {@link #release} or {@code index-build.hold-timeout} from now. Committed on its own, outside
     * the load's transaction, so that a load's concurrent requests do not queue on it; a request that then fails
     * leaves the hold to run out. A collection with a ready index is unaffected (the builder only looks at
     * collections without one). Nothing happens for an unknown collection (the load answers 404).
     */
    public void hold(String tenant, String name) {
        db.autocommit(c -> {
            try (PreparedStatement ps = c.prepareStatement("INSERT INTO index_holds (collection_id, until)"
                    + " SELECT id, now() + make_interval(secs => ?) FROM collections"
                    + " WHERE tenant = ? AND name = ? AND shadow_of IS NULL"
                    + " ON CONFLICT (collection_id) DO UPDATE SET until = excluded.until")) {
                ps.setDouble(1, config.holdTimeout().toMillis() / 1000.0);
                ps.setString(2, tenant);
                ps.setString(3, name);
                ps.executeUpdate();
            }
            return null;
        });
    }

    /** After a load's last request (one without {@code more}) is committed: its index is built once it is quiet. */
    public void release(Collection col) {
        db.autocommit(c -> {
            try (PreparedStatement ps = c.prepareStatement("DELETE FROM index_holds WHERE collection_id = ?")) {
                ps.setLong(1, col.id());
                ps.executeUpdate();
            }
            return null;
        });
    }

    /** The state of a collection's index: ready, building (with its progress, 0 to 1, when known) or pending. */
    @JsonInclude(JsonInclude.Include.NON_NULL)
    public record State(String state, Double progress) {
        static final State READY = new State("ready", null);
    }

    public static State state(Connection c, Collection col) throws SQLException {
        try (PreparedStatement ps = c.prepareStatement("SELECT"
                + " EXISTS (SELECT 1 FROM pg_index WHERE indexrelid = to_regclass(?) AND indisvalid),"
                // pgvector counts the heap scan's blocks while it builds the graph; validation counts index
                // tuples, then blocks (BuildProgress puts the phases together).
                + " p.phase, CASE WHEN p.tuples_total > 0 THEN p.tuples_done::float8 / p.tuples_total"
                + " WHEN p.blocks_total > 0 THEN p.blocks_done::float8 / p.blocks_total END, p.pid IS NOT NULL"
                + " FROM (SELECT 1) one LEFT JOIN LATERAL (SELECT * FROM pg_stat_progress_create_index"
                + " WHERE relid = to_regclass(?) LIMIT 1) p ON true")) {
            ps.setString(1, Partitions.index(col.id()));
            ps.setString(2, Partitions.table(col.id()));
            try (ResultSet rs = ps.executeQuery()) {
                rs.next();
                if (rs.getBoolean(1)) {
                    return State.READY;
                }
                if (!rs.getBoolean(4)) {
                    return new State("pending", null);
                }
                double fraction = rs.getDouble(3);
                return new State("building", BuildProgress.of(rs.getString(2), rs.wasNull() ? null : fraction));
            }
        }
    }

    private void passQuietly() {
        try {
            pass();
        } catch (RuntimeException e) {
            LOG.warnf("index builder pass failed; retrying in %s: %s", config.checkInterval(), e.getMessage());
        }
    }

    /** One pass: builds the index of every collection without one whose rows have been quiet long enough. */
    synchronized void pass() {
        List<Collection> waiting = db.inTransaction(c -> {
            List<Collection> out = new ArrayList<>();
            try (PreparedStatement ps = c.prepareStatement(UNINDEXED); ResultSet rs = ps.executeQuery()) {
                while (rs.next()) {
                    out.add(CollectionStore.map(rs));
                }
            }
            return out;
        });
        activity.keySet().retainAll(waiting.stream().map(Collection::id).toList());
        for (Collection col : waiting) {
            if (quiet(col)) {
                build(col);
                activity.remove(col.id());
            }
        }
    }

    /** Whether the collection's rows have not changed (per the statistics collector) for the quiet period. */
    private boolean quiet(Collection col) {
        long changes = db.inTransaction(c -> {
            try (PreparedStatement ps = c.prepareStatement("SELECT coalesce(n_tup_ins + n_tup_upd + n_tup_del, 0)"
                    + " FROM pg_stat_user_tables WHERE relid = to_regclass(?)")) {
                ps.setString(1, Partitions.table(col.id()));
                try (ResultSet rs = ps.executeQuery()) {
                    return rs.next() ? rs.getLong(1) : 0L;
                }
            }
        });
        long now = System.nanoTime();
        long[] seen = activity.get(col.id());
        if (seen == null || seen[0] != changes) {
            activity.put(col.id(), new long[] {changes, now});
            return false;
        }
        return now - seen[1] >= config.quietPeriod().toNanos();
    }

    private void build(Collection col) {
        db.autocommit(c -> {
            if (!advisory(c, "pg_try_advisory_lock", col)) {
                return null; // another replica builds it, or a load is dropping it
            }
            ScheduledFuture<?> progress = null;
            try (Statement st = c.createStatement()) {
                // Still there (deleted meanwhile: nothing to do), still without a valid index?
                if (!stillUnindexed(c, col)) {
                    return null;
                }
                st.execute("DROP INDEX CONCURRENTLY IF EXISTS " + Partitions.index(col.id()));
                try (PreparedStatement set = c.prepareStatement("SELECT set_config('maintenance_work_mem', ?, false),"
                        + " set_config('max_parallel_maintenance_workers', ?, false)")) {
                    set.setString(1, config.maintenanceWorkMem());
                    set.setString(2, Integer.toString(config.parallelWorkers()));
                    set.execute();
                }
                long t0 = System.nanoTime();
                LOG.infof("collection %d: building its HNSW index (maintenance_work_mem %s, %d parallel workers)",
                        col.id(), config.maintenanceWorkMem(), config.parallelWorkers());
                progress = passes.every(config.progressLogInterval(), () -> logProgress(col, t0));
                st.execute(VectorSql.createIndex(col, true));
                LOG.infof("collection %d: HNSW index built in %.1f s", col.id(), (System.nanoTime() - t0) / 1e9);
                // Writes during the build skipped their ANALYZE (ItemStore.refreshStatistics): the planner gets the
                // rows' statistics now, with the index that needs them.
                st.execute("ANALYZE (SKIP_LOCKED) " + Partitions.table(col.id()));
                return null;
            } catch (SQLException e) {
                if (!stillUnindexed(c, col)) {
                    // Deleted meanwhile: PartitionDropper cancels a deleted collection's build.
                    LOG.infof("collection %d: deleted during its index build, which stopped: %s", col.id(),
                            e.getMessage());
                    return null;
                }
                LOG.warnf("collection %d: index build failed (retried on a later pass): %s", col.id(), e.getMessage());
                return null;
            } finally {
                if (progress != null) {
                    progress.cancel(false);
                }
                try (Statement st = c.createStatement()) {
                    st.execute("RESET maintenance_work_mem");
                    st.execute("RESET max_parallel_maintenance_workers");
                }
                advisory(c, "pg_advisory_unlock", col);
            }
        });
    }

    private static boolean stillUnindexed(Connection c, Collection col) throws SQLException {
        try (PreparedStatement ps = c.prepareStatement("SELECT EXISTS (SELECT 1 FROM collections WHERE id = ?)"
                + " AND NOT EXISTS (SELECT 1 FROM pg_index WHERE indexrelid = to_regclass(?) AND indisvalid)")) {
            ps.setLong(1, col.id());
            ps.setString(2, Partitions.index(col.id()));
            try (ResultSet rs = ps.executeQuery()) {
                return rs.next() && rs.getBoolean(1);
            }
        }
    }

    private void logProgress(Collection col, long t0) {
        try {
            State s = db.inTransaction(c -> state(c, col));
            LOG.infof("collection %d: index %s%s, %.0f s", col.id(), s.state(),
                    s.progress() == null ? "" : String.format(" %.0f%%", 100 * s.progress()),
                    (System.nanoTime() - t0) / 1e9);
        } catch (RuntimeException e) {
            LOG.debugf("progress of collection %d unavailable: %s", col.id(), e.getMessage());
        }
    }

    private static boolean advisory(Connection c, String function, Collection col) throws SQLException {
        try (PreparedStatement ps = c.prepareStatement("SELECT " + function + "(?, " + LOCK_ID + ")")) {
            ps.setInt(1, LOCK_CLASS);
            ps.setLong(2, col.id());
            try (ResultSet rs = ps.executeQuery()) {
                return rs.next() && rs.getBoolean(1);
            }
        }
    }
}
