-- Kept media. A collection chooses at creation what it keeps of its image items: 'none', 'thumbnail' (a JPEG of
-- longest side 256 made by embed-service from the decoded, EXIF-oriented image) or 'original' (the uploaded bytes
-- as received, and the thumbnail). Collections that existed before keep nothing ('none').
--
-- The bytes live in media, content-addressed per tenant: the same bytes are stored once per tenant however many
-- items use them. An item names its thumbnail and original by SHA-256; source_sha256 is the SHA-256 of the uploaded
-- image whether or not it is kept (the folder indexer skips files whose hash is already stored). A media row is
-- written in the transaction that writes its item and deleted in the transaction that removes its last reference
-- (item deleted or replaced, collection deleted): retrieval-service's MediaStore locks the rows in hash order and
-- then checks the references with a fresh snapshot.
--
-- items gets three nullable columns (catalog only) and two partial indexes, empty on existing rows; building them
-- reads each existing partition once while holding writes to it.
ALTER TABLE collections ADD COLUMN media text NOT NULL DEFAULT 'none'
    CHECK (media IN ('none', 'thumbnail', 'original'));

ALTER TABLE items ADD COLUMN source_sha256 bytea CHECK (length(source_sha256) = 32),
    ADD COLUMN thumbnail_sha256 bytea CHECK (length(thumbnail_sha256) = 32),
    ADD COLUMN original_sha256 bytea CHECK (length(original_sha256) = 32);
CREATE INDEX items_thumbnail_sha256 ON items (thumbnail_sha256) WHERE thumbnail_sha256 IS NOT NULL;
CREATE INDEX items_original_sha256 ON items (original_sha256) WHERE original_sha256 IS NOT NULL;

CREATE TABLE media (
    tenant       text        NOT NULL,
    sha256       bytea       NOT NULL CHECK (length(sha256) = 32),
    content_type text        NOT NULL CHECK (content_type ~ '^image/[a-z0-9.+-]{1,40}$'),
    bytes        bytea       NOT NULL,
    created_at   timestamptz NOT NULL DEFAULT now(),
    PRIMARY KEY (tenant, sha256)
);
-- Images are compressed already: store them out of line without trying to compress them again.
ALTER TABLE media ALTER COLUMN bytes SET STORAGE EXTERNAL;
