-- A load sent as many requests with ?more=true holds its collection's deferred index build until its last request
-- (one without more) or until the hold runs out (issue 13: a client pausing between requests got the index built
-- after its first request, and the rest of the load went into it row by row). A table of its own, not a column of
-- collections: each request of a load refreshes the hold, and concurrent requests must not queue on the
-- collection's row (which the load's transaction locks for use) or bump anything its cache checks.
CREATE TABLE index_holds (
    collection_id bigint      PRIMARY KEY REFERENCES collections (id) ON DELETE CASCADE,
    until         timestamptz NOT NULL
);
