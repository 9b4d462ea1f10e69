package dev.sightline.retrieval.store;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.sightline.common.problem.CommonProblem;
import dev.sightline.common.problem.ProblemException;
import dev.sightline.retrieval.Collection;
import dev.sightline.retrieval.Item;
import dev.sightline.retrieval.MediaMode;
import dev.sightline.retrieval.Modality;
import dev.sightline.retrieval.Precision;
import dev.sightline.retrieval.SearchHit;
import dev.sightline.retrieval.SearchMode;
import dev.sightline.retrieval.SearchQuery;
import dev.sightline.retrieval.config.RetrievalConfig;
import dev.sightline.retrieval.duplicates.Dedup;
import dev.sightline.retrieval.duplicates.Outcome;
import dev.sightline.retrieval.media.Blob;
import dev.sightline.retrieval.media.ItemMedia;
import jakarta.enterprise.context.ApplicationScoped;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Types;
import java.time.OffsetDateTime;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.EnumMap;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.function.Consumer;

/**
 * Items of a collection: atomic batch upserts, reads, deletes and nearest-neighbour search. A statement on items
 * names its collection's id as a literal (a server-generated integer), never as a parameter: a prepared statement's
 * generic plan would open and lock every partition of every tenant, and with many collections run out of lock
 * memory ("out of shared memory").
 */
@ApplicationScoped
public class ItemStore {

    private static final ObjectMapper JSON = new ObjectMapper();

    /**
     * Parameters: collection id, id, modality, vector, text, metadata, the source's, thumbnail's and original's
     * SHA-256 (null when not kept), version (null: the store's clock), and twice "no version given". ON CONFLICT …
     * WHERE sees the latest committed row (it locks it first), so the version check holds between concurrent
     * writers; a skipped row counts 0 in the batch's update counts.
     */
    private static String upsertSql(Precision p) {
        String column = VectorSql.column(p);
        return "INSERT INTO items (collection_id, external_id, modality, " + column + ","
                + " content, metadata, source_sha256, thumbnail_sha256, original_sha256, version)"
                + " VALUES (?, ?, ?, ?::" + VectorSql.type(p) + ", ?, ?::jsonb, ?, ?, ?,"
                + " COALESCE(?::bigint, (extract(epoch FROM now()) * 1000000)::bigint))"
                + " ON CONFLICT (collection_id, external_id) DO UPDATE SET modality = EXCLUDED.modality,"
                + " embedding = EXCLUDED.embedding, embedding_half = EXCLUDED.embedding_half,"
                + " content = EXCLUDED.content, metadata = EXCLUDED.metadata, source_sha256 = EXCLUDED.source_sha256,"
                + " thumbnail_sha256 = EXCLUDED.thumbnail_sha256, original_sha256 = EXCLUDED.original_sha256,"
                + " version = CASE WHEN ? THEN GREATEST(EXCLUDED.version, items.version + 1) ELSE EXCLUDED.version END,"
                + " updated_at = now()"
                + " WHERE ? OR items.version <= EXCLUDED.version";
    }

    private static final Map<Precision, String> UPSERT = new EnumMap<>(Map.of(
            Precision.FLOAT32, upsertSql(Precision.FLOAT32), Precision.FLOAT16, upsertSql(Precision.FLOAT16)));

    /** The stored vector, whichever column holds it, in pgvector's text form. */
    private static final String VECTOR_TEXT = "COALESCE(embedding::text, embedding_half::text)";

    private final Database db;
    private final CollectionStore collections;
    private final RetrievalConfig.Search search;
    private final RetrievalConfig.Bulk bulk;
    private final RetrievalConfig.Duplicates duplicates;
    private final IndexBuilder indexes;
    private final CollectionCache cache;

    public ItemStore(Database db, CollectionStore collections, RetrievalConfig config, IndexBuilder indexes,
            CollectionCache cache) {
        this.db = db;
        this.cache = cache;
        this.collections = collections;
        this.search = config.search();
        this.bulk = config.bulk();
        this.duplicates = config.duplicates();
        this.indexes = indexes;
    }

    /** A stream of checked items for a bulk write, read once the collection is known; null at the end. */
    @FunctionalInterface
    public interface ItemSource {
        NewItem next(Collection collection) throws SQLException;
    }

    /**
     * The outcome of an upsert: the collection, how many items were written, the ids skipped as stale and, with
     * {@code on_duplicate}, what became of each item (else null).
     */
    public record Upserted(Collection collection, int written, List<String> stale, List<Outcome> outcomes) {

        public Upserted(Collection collection, int written, List<String> stale) {
            this(collection, written, stale, null);
        }
    }

    /**
     * Inserts or replaces the items, all or none, committed before returning. An item whose stored version is
     * higher than the one given is left alone and reported stale; an equal version is the same write retried and
     * applies again. An item without a version always applies and gets the store's clock (microseconds since the
     * epoch), at least one more than the version it replaces, so no earlier versioned write can come back over it.
     *
     * @param check validates the items against the collection (dimension) before anything is written
     */
    public Upserted upsert(String tenant, String name, List<NewItem> items, Consumer<Collection> check) {
        return upsert(tenant, name, items, check, null);
    }

    /**
     * {@link #upsert}, with near-duplicate handling when {@code dedup} is given ({@link Deduplication}): only the
     * items it keeps are written, the stored items they replace are deleted in the same transaction, and the
     * answer carries each item's outcome.
     */
    public Upserted upsert(String tenant, String name, List<NewItem> items, Consumer<Collection> check, Dedup dedup) {
        if (dedup == null && items.size() >= bulk.copyMinItems() && items.stream().allMatch(it -> it.media() == null)) {
            List<NewItem> sorted = new ArrayList<>(items);
            sorted.sort(Comparator.comparing(NewItem::id));
            Iterator<NewItem> it = sorted.iterator();
            return bulk(tenant, name, col -> it.hasNext() ? it.next() : null, check);
        }
        Upserted done = db.write(tenant, c -> {
            Collection col = collections.lockForUse(c, tenant, name);
            check.accept(col);
            List<NewItem> sorted = new ArrayList<>(items);
            List<Outcome> outcomes = null;
            Map<String, String> duplicatesReplaced = Map.of();
            if (dedup != null) {
                Deduplication.Decision d = Deduplication.decide(c, col, items, dedup, duplicates.neighbours(),
                        duplicates.efSearch(), search.iterativeScan(), search.maxScanTuples());
                sorted = new ArrayList<>(d.kept());
                outcomes = d.outcomes();
                duplicatesReplaced = d.replaced();
                if (sorted.isEmpty()) {
                    return new Upserted(col, 0, List.of(), outcomes);
                }
                // The rows written and the rows deleted, locked in one id order first, as every writer does.
                List<String> touched = new ArrayList<>(sorted.stream().map(NewItem::id).toList());
                touched.addAll(duplicatesReplaced.values());
                lockRows(c, col, touched);
            }
            // One lock order for every writer (by id) so that concurrent overlapping batches cannot deadlock.
            sorted.sort(Comparator.comparing(NewItem::id));
            boolean media = col.media().keepsThumbnail();
            Set<String> replaced = media ? MediaStore.named(c, col.id(), sorted.stream().map(NewItem::id).toList())
                    : Set.of();
            int[] counts;
            try (PreparedStatement ps = c.prepareStatement(UPSERT.get(col.precision()))) {
                for (NewItem it : sorted) {
                    ItemMedia kept = it.media();
                    Blob thumbnail = kept != null && media ? kept.thumbnail() : null;
                    Blob original = kept != null && col.media() == MediaMode.ORIGINAL ? kept.original() : null;
                    ps.setLong(1, col.id());
                    ps.setString(2, it.id());
                    ps.setString(3, it.modality().wire());
                    ps.setString(4, PgVectors.format(it.vector()));
                    ps.setString(5, it.text());
                    ps.setString(6, it.metadataJson());
                    ps.setBytes(7, kept == null ? null : kept.sourceSha256());
                    ps.setBytes(8, thumbnail == null ? null : thumbnail.sha256());
                    ps.setBytes(9, original == null ? null : original.sha256());
                    if (it.version() == null) {
                        ps.setNull(10, Types.BIGINT);
                    } else {
                        ps.setLong(10, it.version());
                    }
                    ps.setBoolean(11, it.version() == null);
                    ps.setBoolean(12, it.version() == null);
                    ps.addBatch();
                }
                counts = ps.executeBatch();
            }
            List<String> stale = new ArrayList<>();
            List<Blob> blobs = new ArrayList<>();
            for (int i = 0; i < counts.length; i++) {
                if (counts[i] < 0) {
                    // e.g. reWriteBatchedInserts=true in the JDBC URL: stale items could not be told apart.
                    throw new IllegalStateException("the JDBC driver reported no row count for an upsert");
                }
                NewItem it = sorted.get(i);
                if (counts[i] == 0) {
                    stale.add(it.id());
                } else if (media && it.media() != null) {
                    addIfKept(blobs, it.media().thumbnail());
                    addIfKept(blobs, col.media() == MediaMode.ORIGINAL ? it.media().original() : null);
                }
            }
            if (media) {
                // The items first, then their blobs, then what the replaced items named (MediaStore's order).
                MediaStore.put(c, tenant, blobs);
                MediaStore.release(c, tenant, replaced);
            }
            MigrationStore.markDirty(c, col.id(), sorted.stream().map(NewItem::id).toList());
            if (outcomes != null) {
                // An item not written (a newer version is stored) replaces nothing: its duplicate stays.
                Set<String> staleIds = Set.copyOf(stale);
                Set<String> deletions = new java.util.TreeSet<>();
                duplicatesReplaced.forEach((by, gone) -> {
                    if (!staleIds.contains(by)) {
                        deletions.add(gone);
                    }
                });
                outcomes = outcomes.stream().map(o -> staleIds.contains(o.id()) ? o.stale() : o).toList();
                // Last, so that media go in MediaStore's order (items, their blobs, then what is released).
                deleteIn(c, tenant, col, deletions);
            }
            return new Upserted(col, sorted.size() - stale.size(), stale, outcomes);
        });
        return analysed(done);
    }

    /**
     * Inserts or replaces a stream of items, all or none, committed before returning, with the version rules of
     * {@link #upsert}: the items go to the database by binary COPY as they are read and are written by one
     * set-based statement. When the collection is empty and the write is large ({@code bulk.defer-index-min-items}),
     * its HNSW index is dropped first and rebuilt after the load by the {@link IndexBuilder} (searches meanwhile are
     * exact, and complete).
     *
     * @param check validates the collection (e.g. against the request) before anything is read
     */
    public Upserted bulk(String tenant, String name, ItemSource source, Consumer<Collection> check) {
        return bulk(tenant, name, source, check, false);
    }

    /**
     * {@link #bulk} as one request of a load ({@code POST /collections/{name}/items/bulk}): with {@code more} (more
     * requests of the load follow), an empty collection's index is left out whatever the request's size, and the
     * collection's deferred index build is held ({@link IndexBuilder#hold}) until a request without it, after
     * whose commit the hold is released.
     */
    public Upserted load(String tenant, String name, ItemSource source, Consumer<Collection> check, boolean more) {
        if (more) {
            indexes.hold(tenant, name);
        }
        Upserted done = bulk(tenant, name, source, check, more);
        if (!more) {
            indexes.release(done.collection());
        }
        return done;
    }

    private Upserted bulk(String tenant, String name, ItemSource source, Consumer<Collection> check,
            boolean deferIndex) {
        Upserted done = db.write(tenant, c -> {
            Collection col = collections.lockForUse(c, tenant, name);
            check.accept(col);
            try (BulkUpsert load = new BulkUpsert(c, col)) {
                NewItem it;
                while ((it = source.next(col)) != null) {
                    load.add(it);
                }
                if (load.size() == 0) {
                    throw new ProblemException(CommonProblem.INVALID_REQUEST, "The request holds no items.");
                }
                load.staged();
                // Bulk lines keep no media; what the items they replace named is released after the write.
                Set<String> replaced = col.media().keepsThumbnail() ? MediaStore.namedBy(c, col.id(), load.staging())
                        : Set.of();
                if (deferIndex || load.size() >= bulk.deferIndexMinItems()) {
                    indexes.dropForLoad(c, col);
                }
                List<String> stale = load.write();
                MediaStore.release(c, tenant, replaced);
                MigrationStore.markDirtyFrom(c, col.id(), load.staging());
                return new Upserted(col, load.size() - stale.size(), stale);
            }
        });
        indexes.wake();
        return analysed(done);
    }

    private static void addIfKept(List<Blob> blobs, Blob b) {
        if (b != null) {
            blobs.add(b);
        }
    }

    private Upserted analysed(Upserted done) {
        try {
            refreshStatistics(done.collection(), done.written());
        } catch (RuntimeException e) {
            // The write is committed; stale statistics only slow searches until autovacuum catches up.
            org.jboss.logging.Logger.getLogger(ItemStore.class).warnf("ANALYZE of collection %d failed: %s",
                    done.collection().id(), e.getMessage());
        }
        return done;
    }

    /**
     * Gives the planner statistics for a collection that just grew a lot, as autovacuum would a minute later:
     * without them a fresh partition is searched by a full scan and sort instead of its HNSW index. SKIP_LOCKED:
     * ANALYZE's lock conflicts with a running CREATE INDEX CONCURRENTLY, and waiting for it held a bulk write's
     * answer, its rows long committed, until the whole index build ended (47 s into a 10,000-row build here; a
     * quarter of an hour at 1M). The builder analyses the partition itself once its build is done.
     */
    private void refreshStatistics(Collection col, int written) {
        db.inTransaction(c -> {
            double tuples;
            try (PreparedStatement ps = c.prepareStatement("SELECT reltuples FROM pg_class WHERE relname = ?")) {
                ps.setString(1, Partitions.table(col.id()));
                try (ResultSet rs = ps.executeQuery()) {
                    tuples = rs.next() ? rs.getDouble(1) : 0;
                }
            }
            // Never analysed (-1), or this batch is more than a tenth of what the statistics know.
            if (tuples < 0 || written > tuples / 10) {
                try (java.sql.Statement st = c.createStatement()) {
                    st.execute("ANALYZE (SKIP_LOCKED) " + Partitions.table(col.id()));
                }
            }
            return null;
        });
    }

    /**
     * One page of the collection's items in id order, after {@code after} (null: from the first), at most
     * {@code limit}; without vectors. A keyset page: each reads its rows from the primary key, however deep.
     */
    public List<Item> page(String tenant, String name, String after, int limit) {
        return db.read(tenant, c -> {
            Collection col = collections.require(c, tenant, name);
            try (PreparedStatement ps = c.prepareStatement("SELECT external_id, modality, content, metadata::text,"
                    + " encode(source_sha256, 'hex'), created_at, updated_at FROM items WHERE collection_id = "
                    + col.id() + (after == null ? "" : " AND external_id > ?") + " ORDER BY external_id LIMIT ?")) {
                int k = 1;
                if (after != null) {
                    ps.setString(k++, after);
                }
                ps.setInt(k, limit);
                List<Item> out = new ArrayList<>();
                try (ResultSet rs = ps.executeQuery()) {
                    while (rs.next()) {
                        out.add(new Item(rs.getString(1), Modality.of(rs.getString(2)), null, rs.getString(3),
                                json(rs.getString(4)), rs.getString(5), rs.getObject(6, OffsetDateTime.class),
                                rs.getObject(7, OffsetDateTime.class)));
                    }
                }
                return out;
            }
        });
    }

    public Optional<Item> get(String tenant, String name, String id, boolean withVector) {
        return db.read(tenant, c -> {
            Collection col = collections.require(c, tenant, name);
            try (PreparedStatement ps = c.prepareStatement("SELECT external_id, modality, "
                    + (withVector ? VECTOR_TEXT : "NULL") + ", content, metadata::text, encode(source_sha256, 'hex'), created_at,"
                    + " updated_at"
                    + " FROM items WHERE collection_id = " + col.id() + " AND external_id = ?")) {
                ps.setString(1, id);
                try (ResultSet rs = ps.executeQuery()) {
                    if (!rs.next()) {
                        return Optional.empty();
                    }
                    String vec = rs.getString(3);
                    return Optional.of(new Item(rs.getString(1), Modality.of(rs.getString(2)),
                            vec == null ? null : PgVectors.parse(vec), rs.getString(4), json(rs.getString(5)),
                            rs.getString(6), rs.getObject(7, OffsetDateTime.class),
                            rs.getObject(8, OffsetDateTime.class)));
                }
            }
        });
    }

    /** Whether the collection has the item. */
    private static boolean hasItem(Connection c, Collection col, String id) throws SQLException {
        try (PreparedStatement ps = c.prepareStatement(
                "SELECT 1 FROM items WHERE collection_id = " + col.id() + " AND external_id = ?")) {
            ps.setString(1, id);
            try (ResultSet rs = ps.executeQuery()) {
                return rs.next();
            }
        }
    }

    private static ProblemException noSuchItem(String id) {
        return new ProblemException(CommonProblem.NOT_FOUND, "Item " + id + " does not exist.");
    }

    public boolean delete(String tenant, String name, String id) {
        return db.write(tenant, c -> {
            Collection col = collections.lockForUse(c, tenant, name);
            return deleteIn(c, tenant, col, Set.of(id)) > 0;
        });
    }

    /** Locks the collection's rows of these ids (those that exist) in id order. */
    private static void lockRows(Connection c, Collection col, List<String> ids) throws SQLException {
        try (PreparedStatement ps = c.prepareStatement("SELECT 1 FROM items WHERE collection_id = " + col.id()
                + " AND external_id = ANY(?) ORDER BY external_id FOR UPDATE")) {
            ps.setArray(1, c.createArrayOf("text", ids.stream().sorted().distinct().toArray()));
            ps.executeQuery().close();
        }
    }

    /** Deletes items of a locked collection in the caller's transaction, releasing their media; how many went. */
    private static int deleteIn(Connection c, String tenant, Collection col, Set<String> ids) throws SQLException {
        if (ids.isEmpty()) {
            return 0;
        }
        List<String> sorted = ids.stream().sorted().toList();
        Set<String> named = col.media().keepsThumbnail() ? MediaStore.named(c, col.id(), sorted) : Set.of();
        int deleted = 0;
        try (PreparedStatement ps = c.prepareStatement(
                "DELETE FROM items WHERE collection_id = " + col.id() + " AND external_id = ?")) {
            for (String id : sorted) {
                ps.setString(1, id);
                deleted += ps.executeUpdate();
            }
        }
        MediaStore.release(c, tenant, named);
        if (deleted > 0) {
            MigrationStore.markDirty(c, col.id(), sorted);
        }
        return deleted;
    }

    /** Builds the query once the collection is known. */
    @FunctionalInterface
    public interface QueryBuilder {
        SearchQuery build(Collection collection);
    }

    /**
     * Nearest neighbours by cosine similarity, best first, in one round trip when the collection is cached: the
     * settings and the search go as one batch on an autocommit connection ({@link SearchSql#batch}), and the
     * statement itself checks that the cached collection still exists. A search by an item reads the item's vector
     * in the same statement. When it returns fewer rows than asked (an empty or small result, or a collection deleted
     * or replaced since it was cached), the collection is looked up again before the answer, and a search by an item
     * that returned nothing checks that the item exists, to tell a missing item (not found) from an empty result; a
     * query the cached collection refused (a dimension) is checked again the same way.
     */
    public List<SearchHit> search(String tenant, String name, QueryBuilder builder) {
        Optional<Collection> cached = cache.get(tenant, name);
        if (cached.isPresent()) {
            Collection col = cached.get();
            SearchQuery q;
            try {
                q = builder.build(col);
            } catch (ProblemException refused) {
                return fresh(tenant, name, builder);
            }
            Result r = db.read(tenant, c -> run(c, col, q));
            if (r.rows() >= r.topK()) {
                return r.hits();
            }
            Optional<Collection> now = collections.find(tenant, name);
            if (now.isPresent() && now.get().id() == col.id()) {
                if (q.byItem() && r.rows() == 0 && !db.read(tenant, c -> hasItem(c, col, q.excludeId()))) {
                    throw noSuchItem(q.excludeId());
                }
                return r.hits();
            }
            cache.evict(tenant, name);
        }
        return fresh(tenant, name, builder);
    }

    /** The search with the collection looked up first (and cached for the next one). */
    private List<SearchHit> fresh(String tenant, String name, QueryBuilder builder) {
        return db.read(tenant, c -> {
            Collection col = collections.require(c, tenant, name);
            cache.put(col);
            SearchQuery q = builder.build(col);
            Result r = run(c, col, q);
            if (q.byItem() && r.rows() == 0 && !hasItem(c, col, q.excludeId())) {
                throw noSuchItem(q.excludeId());
            }
            return r.hits();
        });
    }

    /** Hits after min_score, and how many rows the statement returned before it. */
    private record Result(List<SearchHit> hits, int rows, int topK) {
    }

    /** Binds what the vector ranking orders by ({@link SearchSql#target}); the next parameter's index. */
    private static int bindTarget(PreparedStatement ps, int i, SearchQuery q) throws SQLException {
        ps.setString(i++, q.byItem() ? q.excludeId() : PgVectors.format(q.vector()));
        return i;
    }

    /** Binds the filters every ranking applies (SearchSql's order); the next parameter's index. */
    private static int bindFilters(PreparedStatement ps, int i, SearchQuery q) throws SQLException {
        if (q.modality() != null) {
            ps.setString(i++, q.modality().wire());
        }
        if (q.filterJson() != null) {
            ps.setString(i++, q.filterJson());
        }
        if (q.excludeId() != null) {
            ps.setString(i++, q.excludeId());
        }
        return i;
    }

    private static List<String> rankings(boolean vector, boolean keyword) {
        return vector && keyword ? List.of("vector", "keyword") : vector ? List.of("vector") : List.of("keyword");
    }

    private Result run(Connection c, Collection col, SearchQuery q) throws SQLException {
        List<SearchHit> hits = new ArrayList<>(q.topK());
        int rows = 0;
        try (PreparedStatement ps = c.prepareStatement(SearchSql.batch(col, q))) {
            int i = 1;
            ps.setString(i++, Integer.toString(Math.max(q.efSearch(), q.topK())));
            ps.setString(i++, search.iterativeScan());
            ps.setString(i++, Integer.toString(search.maxScanTuples()));
            switch (q.mode()) {
                case VECTOR -> {
                    i = bindTarget(ps, i, q);
                    if (q.byItem()) {
                        ps.setString(i++, q.excludeId());
                    }
                    i = bindFilters(ps, i, q);
                }
                case KEYWORD -> {
                    ps.setString(i++, q.keywords());
                    i = bindFilters(ps, i, q);
                }
                case HYBRID -> {
                    i = bindTarget(ps, i, q);
                    i = bindFilters(ps, i, q);
                    ps.setInt(i++, SearchSql.pool(q));
                    ps.setString(i++, q.keywords());
                    i = bindFilters(ps, i, q);
                    ps.setInt(i++, SearchSql.pool(q));
                    if (q.byItem()) {
                        ps.setString(i++, q.excludeId());
                    }
                }
                default -> throw new IllegalStateException();
            }
            ps.setInt(i, q.topK());
            ps.execute(); // the settings' row
            if (!ps.getMoreResults()) {
                throw new IllegalStateException("the search batch returned no second result");
            }
            try (ResultSet rs = ps.getResultSet()) {
                while (rs.next()) {
                    rows++;
                    if (q.mode() != SearchMode.VECTOR) {
                        // Keyword rank or fused score: min_score (a cosine) does not apply.
                        List<String> matched = q.mode() == SearchMode.KEYWORD ? List.of("keyword")
                                : rankings(rs.getObject(7) != null, rs.getObject(8) != null);
                        hits.add(new SearchHit(rs.getString(1), rs.getDouble(5), Modality.of(rs.getString(2)),
                                rs.getString(3), rs.getString(4), rs.getBoolean(6), matched));
                        continue;
                    }
                    double score = 1.0 - rs.getDouble(5);
                    if (q.minScore() == null || score >= q.minScore()) {
                        hits.add(new SearchHit(rs.getString(1), score, Modality.of(rs.getString(2)),
                                rs.getString(3), rs.getString(4), rs.getBoolean(6)));
                    }
                }
            }
        }
        if (q.mode() == SearchMode.VECTOR) {
            // Relaxed-order iterative scans may return neighbours slightly out of order.
            hits.sort(Comparator.comparingDouble(SearchHit::score).reversed());
        }
        return new Result(hits, rows, q.topK());
    }

    private static com.fasterxml.jackson.databind.JsonNode json(String s) {
        try {
            return s == null ? null : JSON.readTree(s);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("stored metadata is not JSON", e);
        }
    }
}
