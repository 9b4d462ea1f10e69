-- Half-precision collections. A collection chooses at creation how its vectors are stored and indexed:
-- 'float32' in items.embedding (pgvector vector), or 'float16' in items.embedding_half (pgvector halfvec, 0.7+),
-- which halves the table and the HNSW index for the same recall on CLIP-like vectors. Every partition holds one
-- collection, so exactly one of the two columns is set in each row; the service writes that column only.
--
-- On items, both statements only change the catalog (a nullable column, a dropped NOT NULL): no table rewrite, no
-- scan, no long lock, so they are safe on a populated database during a rolling upgrade. The new column of
-- collections has a constant default (no rewrite); its CHECK reads that small table once.
ALTER TABLE collections ADD COLUMN vector_precision text NOT NULL DEFAULT 'float32'
    CHECK (vector_precision IN ('float32', 'float16'));
ALTER TABLE items ADD COLUMN embedding_half halfvec;
ALTER TABLE items ALTER COLUMN embedding DROP NOT NULL;
