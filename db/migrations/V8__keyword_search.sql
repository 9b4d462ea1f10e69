-- Keyword search (issue 16, hybrid search): a full-text index over each item's text and the string values of its
-- metadata (not its keys), with the 'simple' configuration (words as written, lower-cased, no stemming or stop
-- words: ids and rare terms stay findable in any language). Punctuation becomes a space first, so that the words of
-- a file path or an id ("holiday/zanzibar-2.jpg") are words, not one path token. The expression is
-- SearchSql.DOCUMENT's, so that the planner matches it. Created on the partitioned table, it is built on every
-- partition and copied to new ones (CREATE TABLE … LIKE items INCLUDING ALL).
CREATE INDEX items_keywords ON items USING gin ((to_tsvector('simple', regexp_replace(coalesce(content, '') || ' '
    || jsonb_path_query_array(metadata, 'strict $.** ? (@.type() == "string")')::text, '[[:punct:]]+', ' ', 'g'))));
