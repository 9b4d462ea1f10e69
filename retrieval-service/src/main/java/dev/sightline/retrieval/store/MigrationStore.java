package dev.sightline.retrieval.store;

import dev.sightline.common.problem.CommonProblem;
import dev.sightline.common.problem.ProblemException;
import dev.sightline.retrieval.Collection;
import dev.sightline.retrieval.Migration;
import dev.sightline.retrieval.SourceItem;
import jakarta.enterprise.context.ApplicationScoped;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Duration;
import java.time.OffsetDateTime;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.UUID;

/**
 * Migrations (re-embedding a collection with another model) in PostgreSQL: the jobs, their leases and progress,
 * the shadow collection they fill, the ids written meanwhile, and the switch. Every write of a batch checks, in its
 * transaction, that the worker still holds the job's lease: a worker that lost it writes nothing more.
 */
@ApplicationScoped
public class MigrationStore {

    private static final String COLUMNS = "id, tenant, collection, collection_id, shadow_id, from_model, model,"
            + " dimension, state, total, done, cursor, scanned, error, created_at, started_at, finished_at,"
            + " (SELECT count(*) FROM migration_dirty d WHERE d.migration_id = migrations.id)";

    private final Database db;
    private final CollectionCache cache;
    private final PartitionDropper dropper;

    public MigrationStore(Database db, CollectionCache cache, PartitionDropper dropper) {
        this.db = db;
        this.cache = cache;
        this.dropper = dropper;
    }

    /**
     * Starts a migration of the collection to {@code model} ({@code dimension}): refused (409) when the collection
     * holds that model already, migrates already, or holds items that cannot be embedded again (image items
     * without their original, items without text or image: vectors given by the client). Waits for the writes in
     * flight (the collection's row FOR UPDATE), so every later write is seen as dirty.
     */
    public Migration start(String tenant, String name, String model, int dimension) {
        return db.write(tenant, c -> {
            Collection live = lockLive(c, tenant, name);
            if (live.model().equals(model)) {
                throw new ProblemException(CommonProblem.CONFLICT, "Collection " + name + " holds " + model
                        + " already.");
            }
            Optional<Migration> running = active(c, live.id());
            if (running.isPresent()) {
                throw new ProblemException(CommonProblem.CONFLICT, "Collection " + name + " is migrating to "
                        + running.get().model() + " already (migration " + running.get().id() + ").");
            }
            long total;
            long imagesWithoutOriginal;
            long withoutSource;
            try (PreparedStatement ps = c.prepareStatement("SELECT count(*),"
                    + " count(*) FILTER (WHERE modality = 'image' AND original_sha256 IS NULL AND source_sha256 IS NOT NULL),"
                    + " count(*) FILTER (WHERE (modality = 'text' AND content IS NULL)"
                    + " OR (modality = 'image' AND source_sha256 IS NULL))"
                    + " FROM items WHERE collection_id = " + live.id())) {
                try (ResultSet rs = ps.executeQuery()) {
                    rs.next();
                    total = rs.getLong(1);
                    imagesWithoutOriginal = rs.getLong(2);
                    withoutSource = rs.getLong(3);
                }
            }
            if (imagesWithoutOriginal > 0) {
                throw new ProblemException(CommonProblem.CONFLICT, "Collection " + name + " keeps media "
                        + live.media().wire() + ": its " + imagesWithoutOriginal + " image items cannot be embedded"
                        + " again (a thumbnail is not good enough); only a collection created with media original"
                        + " keeps what a new model needs.");
            }
            if (withoutSource > 0) {
                throw new ProblemException(CommonProblem.CONFLICT, "Collection " + name + " holds " + withoutSource
                        + " items written as vectors, with no text or image to embed again.");
            }
            Collection shadow = CollectionStore.createShadow(c, live, model, dimension);
            UUID id = UUID.randomUUID();
            try (PreparedStatement ps = c.prepareStatement("INSERT INTO migrations (id, tenant, collection,"
                    + " collection_id, shadow_id, from_model, model, dimension, state, total)"
                    + " VALUES (?, ?, ?, ?, ?, ?, ?, ?, 'queued', ?)")) {
                ps.setObject(1, id);
                ps.setString(2, tenant);
                ps.setString(3, name);
                ps.setLong(4, live.id());
                ps.setLong(5, shadow.id());
                ps.setString(6, live.model());
                ps.setString(7, model);
                ps.setInt(8, dimension);
                ps.setLong(9, total);
                ps.executeUpdate();
            }
            return find(c, tenant, name, id).orElseThrow();
        });
    }

    /** The tenant's migration of that collection name, or NOT_FOUND. */
    public Migration get(String tenant, String name, UUID id) {
        return db.inTransaction(c -> find(c, tenant, name, id)).orElseThrow(() -> notFound(id));
    }

    /** The collection's migration that is queued or running, if any. */
    public Optional<Migration> active(String tenant, String name) {
        return db.inTransaction(c -> {
            try (PreparedStatement ps = c.prepareStatement("SELECT " + COLUMNS + " FROM migrations"
                    + " WHERE tenant = ? AND collection = ? AND state IN ('queued', 'running')")) {
                ps.setString(1, tenant);
                ps.setString(2, name);
                try (ResultSet rs = ps.executeQuery()) {
                    return rs.next() ? Optional.of(map(rs)) : Optional.empty();
                }
            }
        });
    }

    /**
     * Cancels a queued or running migration: its shadow goes (partition dropped in the background), the collection
     * stays as it was. A finished migration is a 409.
     */
    public Migration cancel(String tenant, String name, UUID id) {
        Migration m = db.write(tenant, c -> {
            Migration found = find(c, tenant, name, id).orElseThrow(() -> notFound(id));
            try (PreparedStatement ps = c.prepareStatement("UPDATE migrations SET state = 'cancelled',"
                    + " finished_at = now(), lease_until = NULL WHERE id = ? AND state IN ('queued', 'running')")) {
                ps.setObject(1, id);
                if (ps.executeUpdate() == 0) {
                    throw new ProblemException(CommonProblem.CONFLICT, "Migration " + id + " has " + found.state()
                            + "; only a queued or running migration can be cancelled.");
                }
            }
            dropShadow(c, found.shadowId());
            return find(c, tenant, name, id).orElseThrow();
        });
        dropper.wake();
        return m;
    }

    // ---- the worker's side ----------------------------------------------------------------------------------

    /** Claims the oldest migration that is queued or whose lease ran out; its lease runs for {@code lease}. */
    public Optional<Migration> claim(String worker, Duration lease) {
        return db.inTransaction(c -> {
            try (PreparedStatement ps = c.prepareStatement("UPDATE migrations SET state = 'running', worker = ?,"
                    + " lease_until = now() + ? * interval '1 millisecond', started_at = COALESCE(started_at, now())"
                    + " WHERE id = (SELECT id FROM migrations WHERE state = 'queued'"
                    + " OR (state = 'running' AND lease_until < now()) ORDER BY created_at"
                    + " FOR UPDATE SKIP LOCKED LIMIT 1) RETURNING " + COLUMNS)) {
                ps.setString(1, worker);
                ps.setLong(2, lease.toMillis());
                try (ResultSet rs = ps.executeQuery()) {
                    return rs.next() ? Optional.of(map(rs)) : Optional.empty();
                }
            }
        });
    }

    /** The next live items after the cursor, in id order, with what embeds them (text, or the original's bytes). */
    public List<SourceItem> nextItems(Migration m, int limit) {
        return db.inTransaction(c -> {
            // Two statements rather than "cursor IS NULL OR id > cursor", which the planner cannot turn into a range
            // scan of the primary key: each batch reads its rows from the index, however large the collection.
            String after = m.cursor() == null ? "" : " AND i.external_id > ?";
            try (PreparedStatement ps = c.prepareStatement(SOURCE + " WHERE i.collection_id = " + m.collectionId()
                    + after + " ORDER BY i.external_id LIMIT ?")) {
                int k = 1;
                ps.setString(k++, m.tenant());
                if (m.cursor() != null) {
                    ps.setString(k++, m.cursor());
                }
                ps.setInt(k, limit);
                return sources(ps);
            }
        });
    }

    /** Ids written in the live collection since the migration started, with their seq, at most {@code limit}. */
    public List<SourceItem> dirtyItems(Migration m, int limit) {
        return db.inTransaction(c -> {
            try (PreparedStatement ps = c.prepareStatement("SELECT d.external_id, d.seq, s.modality, s.content,"
                    + " s.bytes, s.found FROM (SELECT external_id, seq FROM migration_dirty WHERE migration_id = ?"
                    + " ORDER BY external_id LIMIT ?) d LEFT JOIN LATERAL (" + SOURCE_ROW + " WHERE i.collection_id = "
                    + m.collectionId() + " AND i.external_id = d.external_id) s ON true ORDER BY d.external_id")) {
                ps.setObject(1, m.id());
                ps.setInt(2, limit);
                ps.setString(3, m.tenant());
                List<SourceItem> out = new ArrayList<>();
                try (ResultSet rs = ps.executeQuery()) {
                    while (rs.next()) {
                        out.add(new SourceItem(rs.getString(1), rs.getLong(2),
                                rs.getBoolean(6) ? rs.getString(3) : null, rs.getString(4), rs.getBytes(5)));
                    }
                }
                return out;
            }
        });
    }

    private static final String SOURCE_ROW = "SELECT i.modality, i.content, m.bytes, true AS found FROM items i"
            + " LEFT JOIN media m ON m.tenant = ? AND m.sha256 = i.original_sha256";
    private static final String SOURCE = "SELECT i.external_id, 0, i.modality, i.content, m.bytes FROM items i"
            + " LEFT JOIN media m ON m.tenant = ? AND m.sha256 = i.original_sha256";

    private static List<SourceItem> sources(PreparedStatement ps) throws SQLException {
        List<SourceItem> out = new ArrayList<>();
        try (ResultSet rs = ps.executeQuery()) {
            while (rs.next()) {
                out.add(new SourceItem(rs.getString(1), rs.getLong(2), rs.getString(3), rs.getString(4),
                        rs.getBytes(5)));
            }
        }
        return out;
    }

    /**
     * Writes re-embedded items into the shadow (each with the live row's other columns as they are now; an item
     * deleted meanwhile is left out, and listed dirty) and moves the cursor, in one transaction, if the worker
     * still holds the lease; false when it does not (nothing written). {@code vectors[k]} belongs to
     * {@code items[k]}.
     */
    public boolean copy(Migration m, String worker, Duration lease, List<SourceItem> items, List<float[]> vectors,
            boolean lastBatch) {
        return db.write(m.tenant(), c -> {
            if (!renew(c, m, worker, lease)) {
                return false;
            }
            upsertShadow(c, m, items, vectors);
            try (PreparedStatement ps = c.prepareStatement("UPDATE migrations SET cursor = COALESCE(?, cursor),"
                    + " done = done + ?, scanned = ?, total = CASE WHEN ? THEN done + ? ELSE GREATEST(total, done + ?)"
                    + " END WHERE id = ?")) {
                ps.setString(1, items.isEmpty() ? null : items.get(items.size() - 1).id());
                ps.setInt(2, items.size());
                ps.setBoolean(3, lastBatch);
                ps.setBoolean(4, lastBatch);
                ps.setInt(5, items.size());
                ps.setInt(6, items.size());
                ps.setObject(7, m.id());
                ps.executeUpdate();
            }
            return true;
        });
    }

    /**
     * Brings dirty ids up to date in the shadow (re-embedded, or deleted when the live item is gone) and removes
     * each from the dirty list unless it was written again since it was read; false when the lease is lost.
     */
    public boolean refresh(Migration m, String worker, Duration lease, List<SourceItem> items, List<float[]> vectors) {
        return db.write(m.tenant(), c -> {
            if (!renew(c, m, worker, lease)) {
                return false;
            }
            List<SourceItem> present = new ArrayList<>();
            List<float[]> presentVectors = new ArrayList<>();
            List<String> gone = new ArrayList<>();
            for (int k = 0; k < items.size(); k++) {
                if (items.get(k).modality() == null) {
                    gone.add(items.get(k).id());
                } else {
                    present.add(items.get(k));
                    presentVectors.add(vectors.get(k));
                }
            }
            upsertShadow(c, m, present, presentVectors);
            if (!gone.isEmpty()) {
                try (PreparedStatement ps = c.prepareStatement("DELETE FROM items WHERE collection_id = "
                        + m.shadowId() + " AND external_id = ANY (?)")) {
                    ps.setArray(1, c.createArrayOf("text", gone.toArray()));
                    ps.executeUpdate();
                }
            }
            try (PreparedStatement ps = c.prepareStatement("DELETE FROM migration_dirty WHERE migration_id = ?"
                    + " AND external_id = ? AND seq = ?")) {
                for (SourceItem it : items) {
                    ps.setObject(1, m.id());
                    ps.setString(2, it.id());
                    ps.setLong(3, it.seq());
                    ps.addBatch();
                }
                ps.executeBatch();
            }
            return true;
        });
    }

    /**
     * The switch: with the live row held FOR UPDATE (no write in flight, none starting) and nothing dirty, the
     * shadow becomes the collection and the old one goes (its partition dropped in the background, its kept media
     * still named by the new items). False when something is still dirty, or the lease is lost: nothing changed.
     */
    public boolean trySwitch(Migration m, String worker, Duration lease) {
        boolean switched = db.write(m.tenant(), c -> {
            try (PreparedStatement ps = c.prepareStatement("SELECT 1 FROM collections WHERE id = ? FOR UPDATE")) {
                ps.setLong(1, m.collectionId());
                ps.executeQuery().close();
            }
            if (!renew(c, m, worker, lease)) {
                return false;
            }
            try (PreparedStatement ps = c.prepareStatement(
                    "SELECT EXISTS (SELECT 1 FROM migration_dirty WHERE migration_id = ?)")) {
                ps.setObject(1, m.id());
                try (ResultSet rs = ps.executeQuery()) {
                    rs.next();
                    if (rs.getBoolean(1)) {
                        return false;
                    }
                }
            }
            // The old row hidden first (the live name is unique), then the shadow made live, then the old row gone.
            update(c, "UPDATE collections SET shadow_of = " + m.shadowId() + " WHERE id = " + m.collectionId());
            update(c, "UPDATE collections SET shadow_of = NULL WHERE id = " + m.shadowId());
            update(c, "DELETE FROM collections WHERE id = " + m.collectionId());
            MediaStore.releaseCollection(c, m.tenant(), m.collectionId());
            CollectionStore.dropLater(c, m.collectionId());
            try (PreparedStatement ps = c.prepareStatement("UPDATE migrations SET state = 'succeeded',"
                    + " finished_at = now(), lease_until = NULL WHERE id = ?")) {
                ps.setObject(1, m.id());
                ps.executeUpdate();
            }
            return true;
        });
        if (switched) {
            cache.evict(m.tenant(), m.collection());
            dropper.wake();
        }
        return switched;
    }

    /** Ends a migration that cannot go on (an item refused by the new model): its shadow goes, as on cancel. */
    public void fail(Migration m, String worker, String error) {
        db.write(m.tenant(), c -> {
            try (PreparedStatement ps = c.prepareStatement("UPDATE migrations SET state = 'failed', error = ?,"
                    + " finished_at = now(), lease_until = NULL WHERE id = ? AND worker = ? AND state = 'running'")) {
                ps.setString(1, error.length() > 2000 ? error.substring(0, 2000) : error);
                ps.setObject(2, m.id());
                ps.setString(3, worker);
                if (ps.executeUpdate() > 0) {
                    dropShadow(c, m.shadowId());
                }
            }
            return null;
        });
        dropper.wake();
    }

    /** The job as it is now (state, progress), or empty when it is gone. */
    public Optional<Migration> reload(Migration m) {
        return db.inTransaction(c -> find(c, m.tenant(), m.collection(), m.id()));
    }

    // ---- writes to the live collection -------------------------------------------------------------------

    /** Lists ids written (upserted or deleted) in a collection that is migrating; nothing otherwise. */
    static void markDirty(Connection c, long collectionId, List<String> ids) throws SQLException {
        try (PreparedStatement ps = c.prepareStatement("INSERT INTO migration_dirty (migration_id, external_id)"
                + " SELECT m.id, x FROM migrations m, unnest(?::text[]) x WHERE m.collection_id = ?"
                + " AND m.state IN ('queued', 'running')"
                + " ON CONFLICT (migration_id, external_id) DO UPDATE SET seq = nextval('migration_dirty_seq')")) {
            ps.setArray(1, c.createArrayOf("text", ids.toArray()));
            ps.setLong(2, collectionId);
            ps.executeUpdate();
        }
    }

    /** The same for the ids of a bulk write's staging table. */
    static void markDirtyFrom(Connection c, long collectionId, String staging) throws SQLException {
        try (PreparedStatement ps = c.prepareStatement("INSERT INTO migration_dirty (migration_id, external_id)"
                + " SELECT m.id, s.external_id FROM migrations m, " + staging + " s WHERE m.collection_id = ?"
                + " AND m.state IN ('queued', 'running')"
                + " ON CONFLICT (migration_id, external_id) DO UPDATE SET seq = nextval('migration_dirty_seq')")) {
            ps.setLong(1, collectionId);
            ps.executeUpdate();
        }
    }

    // ---- helpers -----------------------------------------------------------------------------------------

    private static boolean renew(Connection c, Migration m, String worker, Duration lease) throws SQLException {
        try (PreparedStatement ps = c.prepareStatement("UPDATE migrations SET lease_until = now() + ? * interval"
                + " '1 millisecond' WHERE id = ? AND worker = ? AND state = 'running'")) {
            ps.setLong(1, lease.toMillis());
            ps.setObject(2, m.id());
            ps.setString(3, worker);
            return ps.executeUpdate() == 1;
        }
    }

    private static void upsertShadow(Connection c, Migration m, List<SourceItem> items, List<float[]> vectors)
            throws SQLException {
        if (items.isEmpty()) {
            return;
        }
        Collection shadow;
        try (PreparedStatement ps = c.prepareStatement("SELECT " + CollectionStore.COLUMNS + " FROM collections"
                + " WHERE id = " + m.shadowId())) {
            try (ResultSet rs = ps.executeQuery()) {
                rs.next();
                shadow = CollectionStore.map(rs);
            }
        }
        String column = VectorSql.column(shadow.precision());
        try (PreparedStatement ps = c.prepareStatement("INSERT INTO items (collection_id, external_id, modality, "
                + column + ", content, metadata, source_sha256, thumbnail_sha256, original_sha256, version,"
                + " created_at, updated_at) SELECT " + m.shadowId() + ", external_id, modality, ?::"
                + VectorSql.type(shadow.precision()) + ", content, metadata,"
                + " source_sha256, thumbnail_sha256, original_sha256, version, created_at, updated_at FROM items"
                + " WHERE collection_id = " + m.collectionId() + " AND external_id = ?"
                + " ON CONFLICT (collection_id, external_id) DO UPDATE SET modality = EXCLUDED.modality,"
                + " " + column + " = EXCLUDED." + column + ", content = EXCLUDED.content, metadata = EXCLUDED.metadata,"
                + " source_sha256 = EXCLUDED.source_sha256, thumbnail_sha256 = EXCLUDED.thumbnail_sha256,"
                + " original_sha256 = EXCLUDED.original_sha256, version = EXCLUDED.version,"
                + " updated_at = EXCLUDED.updated_at")) {
            for (int k = 0; k < items.size(); k++) {
                ps.setString(1, PgVectors.format(vectors.get(k)));
                ps.setString(2, items.get(k).id());
                ps.addBatch();
            }
            ps.executeBatch();
        }
    }

    private void dropShadow(Connection c, long shadowId) throws SQLException {
        update(c, "DELETE FROM collections WHERE id = " + shadowId);
        CollectionStore.dropLater(c, shadowId);
    }

    private static void update(Connection c, String sql) throws SQLException {
        try (PreparedStatement ps = c.prepareStatement(sql)) {
            ps.executeUpdate();
        }
    }

    private static Collection lockLive(Connection c, String tenant, String name) throws SQLException {
        try (PreparedStatement ps = c.prepareStatement("SELECT " + CollectionStore.COLUMNS + " FROM collections"
                + " WHERE tenant = ? AND name = ? AND shadow_of IS NULL FOR UPDATE")) {
            ps.setString(1, tenant);
            ps.setString(2, name);
            try (ResultSet rs = ps.executeQuery()) {
                if (rs.next()) {
                    return CollectionStore.map(rs);
                }
            }
        }
        throw CollectionStore.notFound(name);
    }

    private static Optional<Migration> active(Connection c, long collectionId) throws SQLException {
        try (PreparedStatement ps = c.prepareStatement("SELECT " + COLUMNS + " FROM migrations"
                + " WHERE collection_id = ? AND state IN ('queued', 'running')")) {
            ps.setLong(1, collectionId);
            try (ResultSet rs = ps.executeQuery()) {
                return rs.next() ? Optional.of(map(rs)) : Optional.empty();
            }
        }
    }

    private static Optional<Migration> find(Connection c, String tenant, String name, UUID id) throws SQLException {
        try (PreparedStatement ps = c.prepareStatement("SELECT " + COLUMNS + " FROM migrations"
                + " WHERE id = ? AND tenant = ? AND collection = ?")) {
            ps.setObject(1, id);
            ps.setString(2, tenant);
            ps.setString(3, name);
            try (ResultSet rs = ps.executeQuery()) {
                return rs.next() ? Optional.of(map(rs)) : Optional.empty();
            }
        }
    }

    private static ProblemException notFound(UUID id) {
        return new ProblemException(CommonProblem.NOT_FOUND, "Migration " + id + " does not exist.");
    }

    private static Migration map(ResultSet rs) throws SQLException {
        return new Migration(rs.getObject(1, UUID.class), rs.getString(2), rs.getString(3), rs.getLong(4),
                rs.getLong(5), rs.getString(6), rs.getString(7), rs.getInt(8), rs.getString(9), rs.getLong(10),
                rs.getLong(11), rs.getString(12), rs.getBoolean(13), rs.getString(14),
                rs.getObject(15, OffsetDateTime.class), rs.getObject(16, OffsetDateTime.class),
                rs.getObject(17, OffsetDateTime.class), rs.getLong(18));
    }
}
