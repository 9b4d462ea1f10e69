-- A monotonic version per item, checked by the upsert (ON CONFLICT … WHERE items.version <= EXCLUDED.version) so
-- that a retried or late write never overwrites a newer acknowledged write of the same id. Writers give it
-- (the gateway: microseconds since the epoch, one per request); the store assigns the same kind of value to
-- writes that give none, so the service always states it.
--
-- The default 0 ("older than any versioned write") is what rows written before this migration read as, and what
-- a service version that predates it writes during a rolling upgrade. A constant default on a new column is only
-- recorded in the catalog: no table rewrite, no long lock.
ALTER TABLE items ADD COLUMN version bigint NOT NULL DEFAULT 0;
