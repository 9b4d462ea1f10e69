-- Sightline retrieval schema. Applied by retrieval-service at start (Flyway); the single source of the schema.
-- The vector extension must exist already (db/start.sh creates it as superuser); IF NOT EXISTS makes this a
-- no-op that needs no privilege when it does.
CREATE EXTENSION IF NOT EXISTS vector;

-- A tenant's named collection of embeddings of one dimension, compared by cosine similarity.
CREATE TABLE collections (
    id                   bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    tenant               text        NOT NULL CHECK (tenant ~ '^[a-z0-9][a-z0-9_-]{0,62}$'),
    name                 text        NOT NULL CHECK (name ~ '^[a-z0-9][a-z0-9_-]{0,62}$'),
    dimension            integer     NOT NULL CHECK (dimension BETWEEN 1 AND 2000),
    metric               text        NOT NULL DEFAULT 'cosine' CHECK (metric = 'cosine'),
    model                text        NOT NULL CHECK (length(model) BETWEEN 1 AND 200),
    hnsw_m               integer     NOT NULL,
    hnsw_ef_construction integer     NOT NULL,
    created_at           timestamptz NOT NULL DEFAULT now(),
    UNIQUE (tenant, name)
);

-- Items of every collection. Partitioned by collection: each collection's partition carries its own HNSW
-- index on embedding::vector(dimension), so collections of different dimensions share one table, creating a
-- collection never scans other collections' rows, and deleting one drops its partition instead of rows.
CREATE TABLE items (
    collection_id bigint      NOT NULL,
    external_id   text        NOT NULL CHECK (length(external_id) BETWEEN 1 AND 128),
    modality      text        NOT NULL CHECK (modality IN ('image', 'text')),
    embedding     vector      NOT NULL,
    content       text,
    metadata      jsonb       NOT NULL DEFAULT '{}'::jsonb,
    created_at    timestamptz NOT NULL DEFAULT now(),
    updated_at    timestamptz NOT NULL DEFAULT now(),
    PRIMARY KEY (collection_id, external_id)
) PARTITION BY LIST (collection_id);

-- Metadata containment filters (metadata @> '{"k": "v"}'), propagated to every partition.
CREATE INDEX items_metadata ON items USING gin (metadata jsonb_path_ops);
