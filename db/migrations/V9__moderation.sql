-- Moderation policies (issue 16): per tenant, categories of prompts (and benign prompts) with a threshold and an
-- action each, and the prompts' embeddings computed once, with the policy's model, when the policy is saved.
CREATE TABLE moderation_policies (
    tenant         text        NOT NULL CHECK (tenant ~ '^[a-z0-9][a-z0-9_-]{0,62}$'),
    name           text        NOT NULL CHECK (name ~ '^[a-z0-9][a-z0-9_-]{0,62}$'),
    model          text        NOT NULL CHECK (length(model) BETWEEN 1 AND 200),
    -- [{name, prompts, benign, threshold, action}], as the API shows them.
    categories     jsonb       NOT NULL CHECK (jsonb_typeof(categories) = 'array'),
    -- Per category, one vector per prompt and then one per benign prompt (an array of arrays of arrays).
    prompt_vectors jsonb       NOT NULL CHECK (jsonb_typeof(prompt_vectors) = 'array'),
    created_at     timestamptz NOT NULL DEFAULT now(),
    updated_at     timestamptz NOT NULL DEFAULT now(),
    PRIMARY KEY (tenant, name)
);

-- The policy a collection's ingest applies, if any. The foreign key keeps a named policy from being deleted
-- (retrieval-service answers 409 first, naming the collections) and a collection from naming a missing one.
ALTER TABLE collections ADD COLUMN moderation text;
ALTER TABLE collections ADD CONSTRAINT collections_moderation_fk FOREIGN KEY (tenant, moderation)
    REFERENCES moderation_policies (tenant, name) ON DELETE RESTRICT;
CREATE INDEX collections_moderation ON collections (tenant, moderation) WHERE moderation IS NOT NULL;
