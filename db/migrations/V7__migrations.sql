-- Re-embedding a collection with another model (a "migration"), without losing a search in between.
--
-- A migration builds a shadow collection: a row of collections with the new model and dimension, shadow_of naming
-- the live collection, and a partition and HNSW index of its own. Shadow rows share the live collection's tenant
-- and name, so the name is unique among live rows only (a partial unique index replaces the constraint; every
-- lookup by name reads live rows). The job copies the live items into the shadow, re-embedded, in batches; writes
-- to the live collection meanwhile list their ids in migration_dirty, and the job re-copies those. The switch is
-- one transaction that holds the live row FOR UPDATE (writers hold it FOR SHARE), finds nothing dirty, drops the
-- live row (its partition goes to partition_drops) and makes the shadow live.
ALTER TABLE collections ADD COLUMN shadow_of bigint REFERENCES collections (id) ON DELETE CASCADE;
ALTER TABLE collections DROP CONSTRAINT collections_tenant_name_key;
CREATE UNIQUE INDEX collections_live_name ON collections (tenant, name) WHERE shadow_of IS NULL;
CREATE INDEX collections_shadow_of ON collections (shadow_of) WHERE shadow_of IS NOT NULL;

-- The jobs, durable: claimed with FOR UPDATE SKIP LOCKED and held by a lease (worker, lease_until) that the worker
-- renews with every batch; every batch's commit checks that it still holds the lease, so a worker that lost it
-- (stalled, or taken over after its process died) writes nothing more. cursor is the last external_id copied, in
-- the same transaction as the copies: a job resumed after a crash redoes at most one uncommitted batch.
CREATE TABLE migrations (
    id            uuid        PRIMARY KEY,
    tenant        text        NOT NULL,
    collection    text        NOT NULL,
    collection_id bigint      NOT NULL,
    shadow_id     bigint      NOT NULL,
    from_model    text        NOT NULL,
    model         text        NOT NULL CHECK (length(model) BETWEEN 1 AND 200),
    dimension     integer     NOT NULL CHECK (dimension BETWEEN 1 AND 2000),
    state         text        NOT NULL CHECK (state IN ('queued', 'running', 'succeeded', 'failed', 'cancelled')),
    total         bigint      NOT NULL DEFAULT 0,
    done          bigint      NOT NULL DEFAULT 0,
    cursor        text,
    scanned       boolean     NOT NULL DEFAULT false,
    error         text,
    worker        text,
    lease_until   timestamptz,
    created_at    timestamptz NOT NULL DEFAULT now(),
    started_at    timestamptz,
    finished_at   timestamptz
);
-- One active migration per collection.
CREATE UNIQUE INDEX migrations_active ON migrations (collection_id) WHERE state IN ('queued', 'running');
CREATE INDEX migrations_claimable ON migrations (created_at) WHERE state IN ('queued', 'running');

-- Ids written (upserted or deleted) in the live collection while its migration runs; seq changes with every write,
-- so the job removes an id only if no write came after the copy it made.
CREATE SEQUENCE migration_dirty_seq;
CREATE TABLE migration_dirty (
    migration_id uuid   NOT NULL REFERENCES migrations (id) ON DELETE CASCADE,
    external_id  text   NOT NULL,
    seq          bigint NOT NULL DEFAULT nextval('migration_dirty_seq'),
    PRIMARY KEY (migration_id, external_id)
);
