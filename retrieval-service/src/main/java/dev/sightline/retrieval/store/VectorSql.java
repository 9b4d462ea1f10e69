package dev.sightline.retrieval.store;

import dev.sightline.retrieval.Collection;
import dev.sightline.retrieval.Precision;

/**
 * How a collection's vectors are spelled in SQL, by its precision: the column that holds them, the typed cast the
 * HNSW index is built on (a partition's index expression, which a query must repeat exactly to use the index) and
 * the index's DDL. Only server-generated integers are written into it.
 */
public final class VectorSql {

    private VectorSql() {
    }

    /** {@code embedding} (vector) or {@code embedding_half} (halfvec). */
    public static String column(Precision p) {
        return p == Precision.FLOAT16 ? "embedding_half" : "embedding";
    }

    /** {@code vector} or {@code halfvec}: the type of the column and of the parameters compared with it. */
    public static String type(Precision p) {
        return p == Precision.FLOAT16 ? "halfvec" : "vector";
    }

    /** {@code ::vector(512)}: the cast of the index expression, and of query vectors. */
    public static String cast(Collection c) {
        return "::" + type(c.precision()) + "(" + c.dimension() + ")";
    }

    /** The indexed expression, {@code embedding::vector(512)}; ORDER BY it (and only it) to use the index. */
    public static String indexed(Collection c) {
        return column(c.precision()) + cast(c);
    }

    /**
     * Whether the collection's vectors are stored inline in the heap row (STORAGE PLAIN) rather than pgvector's
     * default, which moves any row over 2 KB into TOAST: a 512-d float32 vector is 2,056 bytes, so by default every
     * row wrote a TOAST tuple and its index entry too, and the HNSW build read every vector back from TOAST. Inline,
     * a 20,000-row insert took 181 ms against 297 ms, with the same size. Vectors of more than 6,000 bytes (float32
     * beyond 1,498 dimensions) stay out of line: with the row's other columns they could exceed a page.
     */
    public static boolean inline(Collection c) {
        return (long) c.dimension() * (c.precision() == Precision.FLOAT16 ? 2 : 4) + 8 <= 6000;
    }

    /** The collection's HNSW index on its partition, as created with it or built after a bulk load. */
    public static String createIndex(Collection c, boolean concurrently) {
        return "CREATE INDEX " + (concurrently ? "CONCURRENTLY " : "") + Partitions.index(c.id()) + " ON "
                + Partitions.table(c.id()) + " USING hnsw ((" + indexed(c) + ") " + type(c.precision())
                + "_cosine_ops) WITH (m = " + c.hnswM() + ", ef_construction = " + c.hnswEfConstruction() + ")";
    }
}
