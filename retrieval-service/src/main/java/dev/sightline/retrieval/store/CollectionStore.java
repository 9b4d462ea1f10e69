package dev.sightline.retrieval.store;

import dev.sightline.common.problem.CommonProblem;
import dev.sightline.common.problem.ProblemException;
import dev.sightline.retrieval.Collection;
import dev.sightline.retrieval.Hnsw;
import dev.sightline.retrieval.MediaMode;
import dev.sightline.retrieval.Modality;
import dev.sightline.retrieval.Precision;
import jakarta.enterprise.context.ApplicationScoped;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.OffsetDateTime;
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;

/** Collections: one row in {@code collections} plus one partition of {@code items} with its HNSW index. */
@ApplicationScoped
public class CollectionStore {

    /** The columns {@link #map} reads, in its order. */
    public static final String COLUMNS = "id, tenant, name, dimension, metric, model, hnsw_m, hnsw_ef_construction,"
            + " created_at, vector_precision, media, moderation";

    private final Database db;
    private final PartitionDropper dropper;
    private final CollectionCache cache;

    public CollectionStore(Database db, PartitionDropper dropper, CollectionCache cache) {
        this.db = db;
        this.cache = cache;
        this.dropper = dropper;
    }

    /** The result of a create-or-confirm. */
    public record Upserted(Collection collection, boolean created) {
    }

    /** Creates the collection, or confirms an identical one; a different one of that name is a conflict. */
    public Upserted create(String tenant, String name, int dimension, String model, Precision precision, Hnsw hnsw,
            MediaMode media, String moderation) {
        return db.write(tenant, c -> {
            if (moderation != null) {
                // Locked until the collection is committed: the policy cannot be deleted in between.
                PolicyStore.requireForShare(c, tenant, moderation);
            }
            Collection created = null;
            try (PreparedStatement ps = c.prepareStatement("INSERT INTO collections (tenant, name, dimension, model,"
                    + " hnsw_m, hnsw_ef_construction, vector_precision, media, moderation) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)"
                    + " ON CONFLICT (tenant, name) WHERE shadow_of IS NULL DO NOTHING"
                    + " RETURNING " + COLUMNS)) {
                ps.setString(1, tenant);
                ps.setString(2, name);
                ps.setInt(3, dimension);
                ps.setString(4, model);
                ps.setInt(5, hnsw.m());
                ps.setInt(6, hnsw.efConstruction());
                ps.setString(7, precision.wire());
                ps.setString(8, media.wire());
                ps.setString(9, moderation);
                try (ResultSet rs = ps.executeQuery()) {
                    if (rs.next()) {
                        created = map(rs);
                    }
                }
            }
            if (created == null) {
                Collection existing = find(c, tenant, name).orElseThrow(
                        () -> new ProblemException(CommonProblem.CONFLICT, "Collection " + name + " is being deleted."));
                if (existing.dimension() != dimension || !existing.model().equals(model)
                        || existing.precision() != precision || existing.hnswM() != hnsw.m()
                        || existing.hnswEfConstruction() != hnsw.efConstruction() || existing.media() != media
                        || !Objects.equals(existing.moderation(), moderation)) {
                    throw new ProblemException(CommonProblem.CONFLICT, "Collection " + name + " exists with dimension "
                            + existing.dimension() + ", model " + existing.model() + ", precision "
                            + existing.precision().wire() + ", hnsw m " + existing.hnswM() + ", ef_construction "
                            + existing.hnswEfConstruction() + ", media " + existing.media().wire() + " and moderation "
                            + (existing.moderation() == null ? "none" : existing.moderation()) + ".");
                }
                return new Upserted(existing, false);
            }
            createPartition(c, created);
            return new Upserted(created, true);
        });
    }

    /**
     * A hidden copy of the live collection for a migration: the same tenant, name, precision, graph settings and
     * media and moderation policy, another model and dimension, {@code shadow_of} the live one; with its own partition and index.
     */
    public static Collection createShadow(Connection c, Collection live, String model, int dimension)
            throws SQLException {
        Collection shadow;
        try (PreparedStatement ps = c.prepareStatement("INSERT INTO collections (tenant, name, dimension, model,"
                + " hnsw_m, hnsw_ef_construction, vector_precision, media, moderation, shadow_of)"
                + " VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?) RETURNING " + COLUMNS)) {
            ps.setString(1, live.tenant());
            ps.setString(2, live.name());
            ps.setInt(3, dimension);
            ps.setString(4, model);
            ps.setInt(5, live.hnswM());
            ps.setInt(6, live.hnswEfConstruction());
            ps.setString(7, live.precision().wire());
            ps.setString(8, live.media().wire());
            ps.setString(9, live.moderation());
            ps.setLong(10, live.id());
            try (ResultSet rs = ps.executeQuery()) {
                rs.next();
                shadow = map(rs);
            }
        }
        createPartition(c, shadow);
        return shadow;
    }

    /**
     * Only server-generated integers are written into DDL. The partition is built as a table of its own (LIKE
     * copies columns, defaults, checks, the primary key and the metadata index, which ATTACH adopts) and then
     * attached: ATTACH takes SHARE UPDATE EXCLUSIVE on items, which every other collection's reads and writes pass,
     * where CREATE TABLE … PARTITION OF takes ACCESS EXCLUSIVE and so queues behind the longest transaction on any
     * collection while stopping all that come after.
     */
    private static void createPartition(Connection c, Collection created) throws SQLException {
        String partition = Partitions.table(created.id());
        try (Statement st = c.createStatement()) {
            st.execute("CREATE TABLE " + partition + " (LIKE items INCLUDING ALL)");
            if (VectorSql.inline(created)) {
                st.execute("ALTER TABLE " + partition + " ALTER COLUMN " + VectorSql.column(created.precision())
                        + " SET STORAGE PLAIN");
            }
            st.execute(VectorSql.createIndex(created, false));
            st.execute("ALTER TABLE items ATTACH PARTITION " + partition + " FOR VALUES IN (" + created.id() + ")");
        }
    }

    /** Lists a collection's partition for the {@link PartitionDropper} (its row is gone or going). */
    static void dropLater(Connection c, long id) throws SQLException {
        try (PreparedStatement ps = c.prepareStatement("INSERT INTO partition_drops (collection_id) VALUES (?)")) {
            ps.setLong(1, id);
            ps.executeUpdate();
        }
    }

    public Optional<Collection> find(String tenant, String name) {
        return db.inTransaction(c -> find(c, tenant, name));
    }

    /** The collection for a read, or NOT_FOUND; takes no lock, so a read-only transaction stays free of WAL writes. */
    public Collection require(Connection c, String tenant, String name) throws SQLException {
        return find(c, tenant, name).orElseThrow(() -> notFound(name));
    }

    /**
     * The collection, locked against deletion until the transaction ends, or NOT_FOUND (for writes). Asked twice
     * before NOT_FOUND: a write that waited for a migration's switch finds the row it waited for deleted, and the
     * collection's new row only with a new statement's snapshot.
     */
    public Collection lockForUse(Connection c, String tenant, String name) throws SQLException {
        for (int attempt = 0; attempt < 2; attempt++) {
            try (PreparedStatement ps = c.prepareStatement(
                    "SELECT " + COLUMNS + " FROM collections WHERE tenant = ? AND name = ? AND shadow_of IS NULL"
                            + " FOR SHARE")) {
                ps.setString(1, tenant);
                ps.setString(2, name);
                try (ResultSet rs = ps.executeQuery()) {
                    if (rs.next()) {
                        return map(rs);
                    }
                }
            }
        }
        throw notFound(name);
    }

    public List<Collection> list(String tenant) {
        return db.inTransaction(c -> {
            try (PreparedStatement ps = c.prepareStatement(
                    "SELECT " + COLUMNS + " FROM collections WHERE tenant = ? AND shadow_of IS NULL ORDER BY name")) {
                ps.setString(1, tenant);
                List<Collection> out = new ArrayList<>();
                try (ResultSet rs = ps.executeQuery()) {
                    while (rs.next()) {
                        out.add(map(rs));
                    }
                }
                return out;
            }
        });
    }

    /** The state of the collection's HNSW index (built after a bulk load into it while empty). */
    public IndexBuilder.State indexState(Collection collection) {
        return db.inTransaction(c -> IndexBuilder.state(c, collection));
    }

    /** Item counts by modality. */
    public Map<Modality, Long> counts(Collection collection) {
        return db.inTransaction(c -> {
            Map<Modality, Long> counts = new EnumMap<>(Modality.class);
            for (Modality m : Modality.values()) {
                counts.put(m, 0L);
            }
            try (PreparedStatement ps = c.prepareStatement(
                    "SELECT modality, count(*) FROM items WHERE collection_id = " + collection.id()
                            + " GROUP BY modality")) {
                try (ResultSet rs = ps.executeQuery()) {
                    while (rs.next()) {
                        counts.put(Modality.of(rs.getString(1)), rs.getLong(2));
                    }
                }
            }
            return counts;
        });
    }

    /**
     * Sets (or, with null, removes) the moderation policy the collection's ingest applies, on its row and on a
     * migration's shadow alike (the shadow becomes the collection at the switch); the policy must exist.
     */
    public Collection setModeration(String tenant, String name, String policy) {
        Collection updated = db.write(tenant, c -> {
            if (policy != null) {
                PolicyStore.requireForShare(c, tenant, policy);
            }
            // The live row and a migration's shadow, locked in id order as a migration's switch locks them.
            try (PreparedStatement ps = c.prepareStatement("SELECT id FROM collections WHERE tenant = ? AND name = ?"
                    + " ORDER BY id FOR UPDATE")) {
                ps.setString(1, tenant);
                ps.setString(2, name);
                ps.executeQuery().close();
            }
            try (PreparedStatement ps = c.prepareStatement("UPDATE collections SET moderation = ? WHERE tenant = ?"
                    + " AND name = ?")) {
                ps.setString(1, policy);
                ps.setString(2, tenant);
                ps.setString(3, name);
                ps.executeUpdate();
            }
            return require(c, tenant, name);
        });
        cache.evict(tenant, name);
        return updated;
    }

    /**
     * Deletes the collection; false when there was none. The name is free at once; the items become unreachable
     * at once (everything reaches them through the collection's row) and their partition is listed for the
     * {@link PartitionDropper}, which detaches and drops it in the background: dropping it here would take ACCESS
     * EXCLUSIVE on items, and detaching it without that lock has to wait for every older transaction.
     */
    public boolean delete(String tenant, String name) {
        boolean deleted = db.write(tenant, c -> {
            Long id = null;
            MediaMode media = MediaMode.NONE;
            try (PreparedStatement ps = c.prepareStatement(
                    "DELETE FROM collections WHERE tenant = ? AND name = ? AND shadow_of IS NULL RETURNING id, media")) {
                ps.setString(1, tenant);
                ps.setString(2, name);
                try (ResultSet rs = ps.executeQuery()) {
                    if (rs.next()) {
                        id = rs.getLong(1);
                        media = MediaMode.of(rs.getString(2));
                    }
                }
            }
            if (id == null) {
                return false;
            }
            if (media.keepsThumbnail()) {
                // With the collection's row gone its items name nothing: what no other collection names goes too.
                MediaStore.releaseCollection(c, tenant, id);
            }
            dropLater(c, id);
            // A migration of it ends with it: its shadow went with the row (ON DELETE CASCADE), the partition here.
            try (PreparedStatement ps = c.prepareStatement("UPDATE migrations SET state = 'cancelled',"
                    + " error = 'the collection was deleted', finished_at = now(), lease_until = NULL"
                    + " WHERE collection_id = ? AND state IN ('queued', 'running') RETURNING shadow_id")) {
                ps.setLong(1, id);
                try (ResultSet rs = ps.executeQuery()) {
                    while (rs.next()) {
                        dropLater(c, rs.getLong(1));
                    }
                }
            }
            return true;
        });
        cache.evict(tenant, name);
        if (deleted) {
            dropper.wake();
        }
        return deleted;
    }

    public static ProblemException notFound(String name) {
        return new ProblemException(CommonProblem.NOT_FOUND, "Collection " + name + " does not exist.");
    }

    private static Optional<Collection> find(Connection c, String tenant, String name) throws SQLException {
        try (PreparedStatement ps = c.prepareStatement(
                "SELECT " + COLUMNS + " FROM collections WHERE tenant = ? AND name = ? AND shadow_of IS NULL")) {
            ps.setString(1, tenant);
            ps.setString(2, name);
            try (ResultSet rs = ps.executeQuery()) {
                return rs.next() ? Optional.of(map(rs)) : Optional.empty();
            }
        }
    }

    /** The collection in the current row of a result of {@link #COLUMNS}. */
    public static Collection map(ResultSet rs) throws SQLException {
        return new Collection(rs.getLong(1), rs.getString(2), rs.getString(3), rs.getInt(4), rs.getString(5),
                rs.getString(6), rs.getInt(7), rs.getInt(8), rs.getObject(9, OffsetDateTime.class),
                Precision.of(rs.getString(10)), MediaMode.of(rs.getString(11)), rs.getString(12));
    }
}
