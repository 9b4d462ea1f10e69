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
     * Parameters, in order: query vector, [modality], [filter json], [excluded id], limit.
     */
    public static String of(Collection collection, SearchQuery q) {
        StringBuilder sql = new StringBuilder(256)
                .append("SELECT external_id, modality, content, metadata::text, ").append(VectorSql.indexed(collection))
                .append(" <=> ?").append(VectorSql.cast(collection)).append(" AS distance FROM items WHERE collection_id = ")
                .append(collection.id());
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
