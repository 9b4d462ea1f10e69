package dev.sightline.retrieval.store;

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
import java.util.Comparator;
import java.util.List;
import org.jboss.logging.Logger;

/**
 * Detaches and drops the partitions listed in {@code partition_drops} (deleted collections), in the background,
 * without a lock that stops other collections' work.
 *
 * <p>{@code DETACH PARTITION … CONCURRENTLY} marks the partition detached, commits, then waits for every
 * transaction that holds a lock on {@code items} — possibly another tenant's long one. Searches and writes go on
 * meanwhile; collection creation ({@code ATTACH}, which needs the SHARE UPDATE EXCLUSIVE lock the wait keeps) is held
 * off, so the wait is cut at {@code partitions.finalize-timeout} and left pending for FINALIZE on a later pass. It cannot run in a transaction block,
 * hence an autocommit connection, and it is not given a time limit. Only when such a detach was interrupted (a
 * crash, a lost connection, an operator's statement timeout) is the partition left "pending detach"; then
 * {@code DETACH … FINALIZE} completes it, but that holds SHARE UPDATE EXCLUSIVE on {@code items} while it waits for
 * older snapshots, which holds off creation, so it gets a short timeout and is retried. The list survives restarts:
 * a start finishes whatever a previous run left.
 */
@ApplicationScoped
public class PartitionDropper {

    private static final Logger LOG = Logger.getLogger(PartitionDropper.class);
    /** pg advisory lock: one dropper at a time per database, whatever the number of replicas. */
    private static final long LOCK_KEY = 0x5349_4748_544c_4450L;

    private final Database db;
    private final RetrievalConfig.Partitions config;
    private final BackgroundPass passes = new BackgroundPass("partition-dropper", this::runQuietly);

    public PartitionDropper(Database db, RetrievalConfig config) {
        this.db = db;
        this.config = config.partitions();
    }

    void start(@Observes StartupEvent e) {
        passes.start(config.retryInterval(), 1);
    }

    void stop(@Observes ShutdownEvent e) {
        passes.stop();
    }

    /**
     * Starts a pass soon (after a delete) instead of at the next retry; when shutting down, the delete is committed
     * and listed, and the next start drops the partition.
     */
    public void wake() {
        passes.wake();
    }

    private void runQuietly() {
        try {
            dropPending();
        } catch (RuntimeException e) {
            LOG.warnf("dropping deleted collections' partitions failed; retrying in %s: %s",
                    config.retryInterval(), e.getMessage());
        }
    }

    /**
     * One pass over the list: detaches and drops each partition; returns how many remain listed, or -1 when another
     * dropper (this one's background pass, another replica's) holds the lock and has the work in hand.
     */
    public int dropPending() {
        return db.autocommit(c -> {
            if (!advisoryLock(c, "pg_try_advisory_lock")) {
                return -1;
            }
            try {
                List<Drop> drops = listed(c);
                int done = 0;
                for (Drop d : drops) {
                    try {
                        drop(c, d);
                        done++;
                    } catch (SQLException e) {
                        // The next ones would meet the same obstacle (one pending detach per table, old transactions).
                        LOG.infof("partition %s not dropped yet (%s); retrying in %s", Partitions.table(d.collectionId()),
                                e.getMessage(), config.retryInterval());
                        break;
                    }
                }
                return drops.size() - done;
            } finally {
                advisoryLock(c, "pg_advisory_unlock");
            }
        });
    }

    /** A listed partition and whether it is attached and whether a detach of it is pending. */
    private record Drop(long collectionId, boolean attached, boolean pending) {
    }

    /** The list, a pending detach first: no other partition can start detaching until it is finished. */
    private static List<Drop> listed(Connection c) throws SQLException {
        List<Drop> drops = new ArrayList<>();
        try (PreparedStatement ps = c.prepareStatement("SELECT collection_id FROM partition_drops ORDER BY requested_at,"
                + " collection_id");
                PreparedStatement state = c.prepareStatement("SELECT inhdetachpending FROM pg_inherits"
                        + " WHERE inhrelid = to_regclass(?) AND inhparent = 'items'::regclass");
                ResultSet rs = ps.executeQuery()) {
            while (rs.next()) {
                long id = rs.getLong(1);
                state.setString(1, Partitions.table(id));
                try (ResultSet st = state.executeQuery()) {
                    boolean attached = st.next();
                    drops.add(new Drop(id, attached, attached && st.getBoolean(1)));
                }
            }
        }
        drops.sort(Comparator.comparing(Drop::pending).reversed());
        return drops;
    }

    private void drop(Connection c, Drop d) throws SQLException {
        String table = Partitions.table(d.collectionId());
        cancelIndexBuild(c, table);
        try (Statement st = c.createStatement()) {
            if (d.pending()) {
                st.execute("SET statement_timeout = " + config.finalizeTimeout().toMillis());
                try {
                    st.execute("ALTER TABLE items DETACH PARTITION " + table + " FINALIZE");
                } finally {
                    st.execute("RESET statement_timeout");
                }
            } else if (d.attached()) {
                // While it waits for older transactions it holds SHARE UPDATE EXCLUSIVE on items, which ATTACH
                // (collection creation) needs too: bounded, so a long transaction elsewhere holds creation off for
                // this long at most; cancelled, the detach stays pending and FINALIZE completes it on a later pass.
                st.execute("SET statement_timeout = " + config.finalizeTimeout().toMillis());
                try {
                    st.execute("ALTER TABLE items DETACH PARTITION " + table + " CONCURRENTLY");
                } finally {
                    st.execute("RESET statement_timeout");
                }
            }
            // Detached, it is a table of its own: dropping it locks nothing but itself.
            st.execute("DROP TABLE IF EXISTS " + table);
        }
        try (PreparedStatement ps = c.prepareStatement("DELETE FROM partition_drops WHERE collection_id = ?")) {
            ps.setLong(1, d.collectionId());
            ps.executeUpdate();
        }
        LOG.debugf("dropped partition %s", table);
    }

    /**
     * Cancels an index build still running on the partition of a deleted collection (by this replica's builder or
     * another's; same role, so no privilege is needed). Left alone, a build at a million vectors runs for a quarter
     * of an hour for nothing, holds off the detach, and keeps the builder from every other collection's index.
     */
    private static void cancelIndexBuild(Connection c, String table) throws SQLException {
        try (PreparedStatement ps = c.prepareStatement("SELECT pg_cancel_backend(pid) FROM pg_stat_progress_create_index"
                + " WHERE relid = to_regclass(?)")) {
            ps.setString(1, table);
            try (ResultSet rs = ps.executeQuery()) {
                while (rs.next()) {
                    LOG.infof("partition %s: its index build cancelled (collection deleted)", table);
                }
            }
        }
    }

    private static boolean advisoryLock(Connection c, String function) throws SQLException {
        try (PreparedStatement ps = c.prepareStatement("SELECT " + function + "(?)")) {
            ps.setLong(1, LOCK_KEY);
            try (ResultSet rs = ps.executeQuery()) {
                return rs.next() && rs.getBoolean(1);
            }
        }
    }
}
