package dev.sightline.retrieval.store;

import dev.sightline.retrieval.Collection;
import dev.sightline.retrieval.SearchQuery;

/**
 * The nearest-neighbour statement for one collection.
 *
 * <p>The collection id and dimension are written into the SQL (server-generated integers, never client input):
 * the planner prunes to the collection's partition and matches its HNSW index expression at plan time, so the
 * index is used even by the generic plan of a server-side prepared statement. The ORDER BY is the index
 * expression alone; a second sort key would bypass the index. Everything the client sends is a bound parameter.
 */
public final class SearchSql {

    private SearchSql() {
    }

    /**
     * The search's settings, local to its transaction. Parameters: ef_search, iterative_scan, max_scan_tuples.
     */
    public static final String SETTINGS = "SELECT set_config('hnsw.ef_search', ?, true),"
            + " set_config('hnsw.iterative_scan', ?, true), set_config('hnsw.max_scan_tuples', ?, true)";

    /**
     * The settings and the search as one string, sent in one round trip: the driver sends both statements before one
     * Sync, so they run in one implicit transaction (with autocommit on) and the settings hold for the search.
     * Parameters: those of {@link #SETTINGS}, then those of {@link #of}.
     */
    public static String batch(Collection collection, SearchQuery q) {
        return SETTINGS + "; " + switch (q.mode()) {
            case VECTOR -> of(collection, q);
            case KEYWORD -> keyword(collection, q);
            case HYBRID -> hybrid(collection, q);
        };
    }

    /**
     * An item's words for keyword search: its text and its metadata's string values, punctuation made spaces; the
     * expression of the items_keywords index (migration V8).
     */
    static final String DOCUMENT = "to_tsvector('simple', regexp_replace(coalesce(content, '') || ' '"
            + " || jsonb_path_query_array(metadata, 'strict $.** ? (@.type() == \"string\")')::text, '[[:punct:]]+',"
            + " ' ', 'g'))";

    /** Reciprocal rank fusion's constant (k = 60, as in the paper and pgvector's hybrid search example). */
    static final int RRF_K = 60;

    /**
     * How many candidates of each ranking hybrid search fuses (twice top_k, at least 40): an item outside both
     * pools cannot enter the fused top_k; one in a single pool scores as if absent from the other.
     */
    static int pool(SearchQuery q) {
        return Math.max(q.topK() * 2, 40);
    }

    /**
     * What the vector ranking orders by: the bound query vector, or, searching by an item, that item's stored vector
     * read by a subquery (an InitPlan, run once before the index scan), so that it is neither read out to the
     * service nor sent back. Parameter: the vector, or the item's id.
     */
    static String target(Collection collection, SearchQuery q) {
        return q.byItem() ? "(SELECT " + VectorSql.indexed(collection) + " FROM items WHERE collection_id = "
                + collection.id() + " AND external_id = ?)" : "?" + VectorSql.cast(collection);
    }

    /**
     * Searching by an item, the condition that it exists (a one-time filter: without the item the statement returns
     * no rows rather than an index scan ordered by NULL). Parameter: the item's id. Nothing otherwise.
     */
    private static void itemExists(StringBuilder sql, Collection collection, SearchQuery q) {
        if (q.byItem()) {
            sql.append(" AND ").append(target(collection, q)).append(" IS NOT NULL");
        }
    }

    /** Filters every ranking applies, in the order their parameters are bound. */
    private static void filters(StringBuilder sql, SearchQuery q) {
        if (q.modality() != null) {
            sql.append(" AND modality = ?");
        }
        if (q.filterJson() != null) {
            sql.append(" AND metadata @> ?::jsonb");
        }
        if (q.excludeId() != null) {
            sql.append(" AND external_id <> ?");
        }
    }

    /**
     * Keyword search: the items whose words match the query (websearch_to_tsquery: words, "quoted phrases", -not,
     * or), best ts_rank_cd first. Parameters: keywords, [modality], [filter json], [excluded id], limit.
     */
    public static String keyword(Collection collection, SearchQuery q) {
        StringBuilder sql = new StringBuilder(256)
                .append("SELECT external_id, modality, content, metadata::text, ts_rank_cd(").append(DOCUMENT)
                .append(", query) AS rank, thumbnail_sha256 IS NOT NULL FROM items,")
                .append(" websearch_to_tsquery('simple', ?) query WHERE collection_id = ").append(collection.id())
                .append(" AND EXISTS (SELECT 1 FROM collections WHERE id = ").append(collection.id()).append(')')
                .append(" AND ").append(DOCUMENT).append(" @@ query");
        filters(sql, q);
        return sql.append(" ORDER BY rank DESC, external_id LIMIT ?").toString();
    }

    /**
     * Hybrid search in one statement: the vector ranking (HNSW) and the keyword ranking, each the best
     * {@link #pool} items with the filters, fused by reciprocal rank fusion (1 / (60 + rank) summed over the rankings
     * an item is in). Parameters: query vector (or item id, {@link #target}), [modality], [filter], [excluded], pool,
     * keywords, [modality], [filter], [excluded], pool, [item id, searching by an item], limit. Columns as
     * {@link #of}, the fused score in place of the distance, then the item's vector and keyword ranks (null when
     * absent).
     */
    public static String hybrid(Collection collection, SearchQuery q) {
        StringBuilder sql = new StringBuilder(768)
                .append("WITH v AS (SELECT external_id, row_number() OVER (ORDER BY distance) AS r FROM (SELECT")
                .append(" external_id, ").append(VectorSql.indexed(collection)).append(" <=> ")
                .append(target(collection, q)).append(" AS distance FROM items WHERE collection_id = ")
                .append(collection.id());
        filters(sql, q);
        sql.append(" ORDER BY distance LIMIT ?) nearest), k AS (SELECT external_id, row_number() OVER (ORDER BY rank")
                .append(" DESC, external_id) AS r FROM (SELECT external_id, ts_rank_cd(").append(DOCUMENT)
                .append(", query) AS rank FROM items, websearch_to_tsquery('simple', ?) query WHERE collection_id = ")
                .append(collection.id()).append(" AND ").append(DOCUMENT).append(" @@ query");
        filters(sql, q);
        sql.append(" ORDER BY rank DESC, external_id LIMIT ?) matching)")
                .append(" SELECT i.external_id, i.modality, i.content, i.metadata::text, COALESCE(1.0 / (")
                .append(RRF_K).append(" + v.r), 0) + COALESCE(1.0 / (").append(RRF_K).append(" + k.r), 0) AS score,")
                .append(" i.thumbnail_sha256 IS NOT NULL, v.r, k.r FROM v FULL JOIN k ON v.external_id = k.external_id")
                .append(" JOIN items i ON i.collection_id = ").append(collection.id())
                .append(" AND i.external_id = COALESCE(v.external_id, k.external_id)")
                .append(" WHERE EXISTS (SELECT 1 FROM collections WHERE id = ").append(collection.id()).append(')');
        itemExists(sql, collection, q);
        return sql.append(" ORDER BY score DESC, i.external_id LIMIT ?").toString();
    }

    /**
     * Near-duplicate links: each item's nearest {@code k} other items by the HNSW index (a lateral index scan per
     * item, the item's own vector as the query), those within a distance. Parameters: [modality], k, [modality],
     * largest distance (1 - threshold). Columns: the item's id, the neighbour's id, their cosine similarity.
     */
    public static String neighbours(Collection collection, boolean byModality) {
        String vector = VectorSql.indexed(collection);
        StringBuilder sql = new StringBuilder(512)
                .append("SELECT a.external_id, n.external_id, 1 - n.distance FROM items a CROSS JOIN LATERAL (SELECT")
                .append(" b.external_id, b.").append(vector).append(" <=> a.").append(vector)
                .append(" AS distance FROM items b WHERE b.collection_id = ").append(collection.id())
                .append(" AND b.external_id <> a.external_id");
        if (byModality) {
            sql.append(" AND b.modality = ?");
        }
        sql.append(" ORDER BY distance LIMIT ?) n WHERE a.collection_id = ").append(collection.id());
        if (byModality) {
            sql.append(" AND a.modality = ?");
        }
        return sql.append(" AND n.distance <= ?").toString();
    }

    /**
     * Parameters, in order: query vector (or item id, {@link #target}), [item id, searching by an item], [modality],
     * [filter json], [excluded id], limit. The statement also checks that the collection's row still exists (an
     * InitPlan run once, which leaves the index scan as it is): a collection deleted since it was looked up, here or
     * by another replica, returns no rows.
     */
    public static String of(Collection collection, SearchQuery q) {
        StringBuilder sql = new StringBuilder(256)
                .append("SELECT external_id, modality, content, metadata::text, ").append(VectorSql.indexed(collection))
                .append(" <=> ").append(target(collection, q))
                .append(" AS distance, thumbnail_sha256 IS NOT NULL FROM items WHERE collection_id = ")
                .append(collection.id())
                .append(" AND EXISTS (SELECT 1 FROM collections WHERE id = ").append(collection.id()).append(')');
        itemExists(sql, collection, q);
        filters(sql, q);
        return sql.append(" ORDER BY distance LIMIT ?").toString();
    }
}
