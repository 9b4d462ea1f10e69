-- Saved zero-shot classifiers: labels, prompt templates and the label embeddings computed once at creation.
CREATE TABLE classifiers (
    tenant       text        NOT NULL CHECK (tenant ~ '^[a-z0-9][a-z0-9_-]{0,62}$'),
    name         text        NOT NULL CHECK (name ~ '^[a-z0-9][a-z0-9_-]{0,62}$'),
    model        text        NOT NULL CHECK (length(model) BETWEEN 1 AND 200),
    labels       jsonb       NOT NULL CHECK (jsonb_typeof(labels) = 'array'),
    templates    jsonb       NOT NULL CHECK (jsonb_typeof(templates) = 'array'),
    -- One vector per label, in label order (a JSON array of arrays of numbers).
    label_vectors jsonb      NOT NULL CHECK (jsonb_typeof(label_vectors) = 'array'),
    created_at   timestamptz NOT NULL DEFAULT now(),
    updated_at   timestamptz NOT NULL DEFAULT now(),
    PRIMARY KEY (tenant, name)
);
