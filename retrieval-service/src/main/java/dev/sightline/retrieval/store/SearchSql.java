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
        return SETTINGS + "; " + of(collection, q);
    }

    /**
     * Parameters, in order: query vector, [modality], [filter json], [excluded id], limit. The statement also
     * checks that the collection's row still exists (an InitPlan run once, which leaves the index scan as it is):
     * a collection deleted since it was looked up, here or by another replica, returns no rows.
     */
    public static String of(Collection collection, SearchQuery q) {
        StringBuilder sql = new StringBuilder(256)
                .append("SELECT external_id, modality, content, metadata::text, ").append(VectorSql.indexed(collection))
                .append(" <=> ?").append(VectorSql.cast(collection))
                .append(" AS distance, thumbnail_sha256 IS NOT NULL FROM items WHERE collection_id = ")
                .append(collection.id())
                .append(" AND EXISTS (SELECT 1 FROM collections WHERE id = ").append(collection.id()).append(')');
        if (q.modality() != null) {
            sql.append(" AND modality = ?");
        }
        if (q.filterJson() != null) {
            sql.append(" AND metadata @> ?::jsonb");
        }
        if (q.excludeId() != null) {
            sql.append(" AND external_id <> ?");
        }
        return sql.append(" ORDER BY distance LIMIT ?").toString();
    }
}
