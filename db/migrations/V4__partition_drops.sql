-- Partitions of deleted collections still to be detached and dropped. Deleting a collection removes its row from
-- collections (the name is free at once) and lists the partition here in the same transaction; a background task
-- then runs ALTER TABLE items DETACH PARTITION … CONCURRENTLY (which cannot run inside a transaction and waits for
-- transactions older than it) and DROP TABLE, and removes the row. A restart finishes whatever is listed here,
-- including a detach left pending by a crash or a timeout.
CREATE TABLE partition_drops (
    collection_id bigint      PRIMARY KEY,
    requested_at  timestamptz NOT NULL DEFAULT now()
);
