package dev.sightline.retrieval.store;

import dev.sightline.retrieval.Collection;
import dev.sightline.retrieval.media.Blob;
import dev.sightline.retrieval.media.MediaKind;
import dev.sightline.retrieval.media.StoredMedia;
import jakarta.enterprise.context.ApplicationScoped;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.HashSet;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.StringJoiner;
import java.util.TreeMap;
import java.util.TreeSet;

/**
 * Kept media: thumbnails and originals of image items, stored once per tenant by SHA-256, written and removed in
 * the transactions that write and remove the items naming them.
 *
 * <p>Why no blob outlives its last item and none is removed under a new one: a writer writes its items first and
 * then inserts its blobs ({@code ON CONFLICT … DO UPDATE}, which locks an existing row); a remover locks the
 * candidate rows ({@code FOR UPDATE}) and only then, in a new statement and so with a new snapshot, deletes those
 * that no item of the tenant names. A remover that locks first deletes a blob a concurrent writer's uncommitted item
 * names, and the writer's insert, which waits for the lock, then inserts it again; a writer that locks first makes
 * the remover wait and see its committed item. The tenant's collections are read after the locks, in the same way.
 * Rows are locked in hash order; a deadlock with a writer of another order is answered as a retryable 503
 * ({@link Database}).
 */
@ApplicationScoped
public class MediaStore {

    /**
     * No item of the given collections (the tenant's live ones) names the row, as thumbnail or original. The ids are
     * written into the statement, as every collection id in this service's SQL (server-generated integers only):
     * the planner then opens the tenant's partitions only, where a parameter (a generic plan) or a join with
     * collections makes it open and lock every partition of every tenant.
     */
    private static String unreferenced(String liveIds) {
        return " AND NOT EXISTS (SELECT 1 FROM items i WHERE i.collection_id IN (" + liveIds + ")"
                + " AND i.thumbnail_sha256 = m.sha256)"
                + " AND NOT EXISTS (SELECT 1 FROM items i WHERE i.collection_id IN (" + liveIds + ")"
                + " AND i.original_sha256 = m.sha256)";
    }

    private final Database db;
    private final CollectionStore collections;

    public MediaStore(Database db, CollectionStore collections) {
        this.db = db;
        this.collections = collections;
    }

    /** Inserts the blobs not stored yet for the tenant and locks those that are, in hash order. */
    static void put(Connection c, String tenant, List<Blob> blobs) throws SQLException {
        TreeMap<String, Blob> byHash = new TreeMap<>();
        for (Blob b : blobs) {
            byHash.putIfAbsent(b.hex(), b);
        }
        if (byHash.isEmpty()) {
            return;
        }
        try (PreparedStatement ps = c.prepareStatement("INSERT INTO media (tenant, sha256, content_type, bytes)"
                + " VALUES (?, ?, ?, ?) ON CONFLICT (tenant, sha256) DO UPDATE SET created_at = media.created_at")) {
            for (Blob b : byHash.values()) {
                ps.setString(1, tenant);
                ps.setBytes(2, b.sha256());
                ps.setString(3, b.contentType());
                ps.setBytes(4, b.bytes());
                ps.addBatch();
            }
            ps.executeBatch();
        }
    }

    /** The hashes (hex) of the blobs the given items of the collection name now. */
    static Set<String> named(Connection c, long collectionId, List<String> ids) throws SQLException {
        try (PreparedStatement ps = c.prepareStatement("SELECT encode(thumbnail_sha256, 'hex'),"
                + " encode(original_sha256, 'hex') FROM items WHERE collection_id = " + collectionId
                + " AND external_id = ANY(?) AND (thumbnail_sha256 IS NOT NULL OR original_sha256 IS NOT NULL)")) {
            ps.setArray(1, c.createArrayOf("text", ids.toArray()));
            return hashes(ps);
        }
    }

    /** The same for the items named by the {@code external_id} column of a table of this session. */
    static Set<String> namedBy(Connection c, long collectionId, String idTable) throws SQLException {
        try (PreparedStatement ps = c.prepareStatement("SELECT encode(thumbnail_sha256, 'hex'),"
                + " encode(original_sha256, 'hex') FROM items WHERE collection_id = " + collectionId
                + " AND external_id IN (SELECT external_id FROM " + idTable + ")"
                + " AND (thumbnail_sha256 IS NOT NULL OR original_sha256 IS NOT NULL)")) {
            return hashes(ps);
        }
    }

    /** Deletes those of the blobs (hex hashes) that no item of the tenant names any more. */
    static void release(Connection c, String tenant, Set<String> hexes) throws SQLException {
        if (hexes.isEmpty()) {
            return;
        }
        Object[] sorted = new TreeSet<>(hexes).toArray();
        String these = "tenant = ? AND sha256 IN (SELECT decode(h, 'hex') FROM unnest(?::text[]) h)";
        try (PreparedStatement lock = c.prepareStatement(
                "SELECT 1 FROM media WHERE " + these + " ORDER BY sha256 FOR UPDATE")) {
            lock.setString(1, tenant);
            lock.setArray(2, c.createArrayOf("text", sorted));
            lock.executeQuery().close();
        }
        try (PreparedStatement delete = c.prepareStatement(
                "DELETE FROM media m WHERE " + these + unreferenced(liveCollections(c, tenant)))) {
            delete.setString(1, tenant);
            delete.setArray(2, c.createArrayOf("text", sorted));
            delete.executeUpdate();
        }
    }

    /**
     * Deletes the blobs of a collection whose row this transaction has deleted, except those another collection of
     * the tenant still names.
     */
    static void releaseCollection(Connection c, String tenant, long collectionId) throws SQLException {
        String these = "tenant = ? AND sha256 IN (SELECT thumbnail_sha256 FROM items WHERE collection_id = "
                + collectionId + " AND thumbnail_sha256 IS NOT NULL UNION SELECT original_sha256 FROM items"
                + " WHERE collection_id = " + collectionId + " AND original_sha256 IS NOT NULL)";
        try (PreparedStatement lock = c.prepareStatement(
                "SELECT 1 FROM media WHERE " + these + " ORDER BY sha256 FOR UPDATE")) {
            lock.setString(1, tenant);
            lock.executeQuery().close();
        }
        try (PreparedStatement delete = c.prepareStatement(
                "DELETE FROM media m WHERE " + these + unreferenced(liveCollections(c, tenant)))) {
            delete.setString(1, tenant);
            delete.executeUpdate();
        }
    }

    /** What a lookup of an item's media found. */
    public sealed interface Lookup {
        /** No such item. */
        record NoItem() implements Lookup {
        }

        /** The item keeps nothing of that kind. */
        record NotKept() implements Lookup {
        }

        /** The blob; its bytes are null when its hash is the one the caller has ({@code If-None-Match}). */
        record Found(StoredMedia media) implements Lookup {
        }
    }

    /**
     * An item's thumbnail or original. {@code ifNoneMatch}: a hash (hex) the caller holds; when it is the blob's, the
     * bytes are not read.
     */
    public Lookup get(String tenant, String name, String id, MediaKind kind, String ifNoneMatch) {
        return db.read(tenant, c -> {
            Collection col = collections.require(c, tenant, name);
            try (PreparedStatement ps = c.prepareStatement("SELECT m.content_type, encode(m.sha256, 'hex'),"
                    + " CASE WHEN encode(m.sha256, 'hex') = ? THEN NULL ELSE m.bytes END FROM items i"
                    + " LEFT JOIN media m ON m.tenant = ? AND m.sha256 = i." + kind.column()
                    + " WHERE i.collection_id = " + col.id() + " AND i.external_id = ?")) {
                ps.setString(1, ifNoneMatch == null ? "" : ifNoneMatch);
                ps.setString(2, tenant);
                ps.setString(3, id);
                try (ResultSet rs = ps.executeQuery()) {
                    if (!rs.next()) {
                        return new Lookup.NoItem();
                    }
                    if (rs.getString(1) == null) {
                        return new Lookup.NotKept();
                    }
                    return new Lookup.Found(new StoredMedia(rs.getString(1), rs.getBytes(3), rs.getString(2)));
                }
            }
        });
    }

    /**
     * The tenant's collections, read after the candidate rows are locked: a writer that locked one of them first has
     * committed by now, together with any collection it created.
     */
    private static String liveCollections(Connection c, String tenant) throws SQLException {
        StringJoiner ids = new StringJoiner(",");
        try (PreparedStatement ps = c.prepareStatement("SELECT id FROM collections WHERE tenant = ?")) {
            ps.setString(1, tenant);
            try (ResultSet rs = ps.executeQuery()) {
                while (rs.next()) {
                    ids.add(Long.toString(rs.getLong(1)));
                }
            }
        }
        return ids.length() == 0 ? "-1" : ids.toString(); // no collection has id -1
    }

    private static Set<String> hashes(PreparedStatement ps) throws SQLException {
        Set<String> out = new HashSet<>();
        try (ResultSet rs = ps.executeQuery()) {
            while (rs.next()) {
                for (int i = 1; i <= 2; i++) {
                    String h = rs.getString(i);
                    if (h != null) {
                        out.add(h);
                    }
                }
            }
        }
        return out;
    }
}
