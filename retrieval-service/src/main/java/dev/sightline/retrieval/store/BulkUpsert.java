package dev.sightline.retrieval.store;

import dev.sightline.retrieval.Collection;
import dev.sightline.retrieval.Precision;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import org.postgresql.PGConnection;
import org.postgresql.copy.CopyIn;

/**
 * One bulk write inside the caller's transaction: items are streamed by binary COPY into a temporary table, then
 * written with one set-based upsert per kind of version (given or not), in id order so that concurrent writers lock
 * rows in one order. The version rules are those of {@link ItemStore#upsert}: a stored item with a higher version is
 * left alone and reported stale. Nothing is visible to others before the caller commits.
 */
final class BulkUpsert implements AutoCloseable {

    /** Bytes encoded before they are sent to the server. */
    private static final int FLUSH_BYTES = 1 << 20;
    private static final String STAGING = "pg_temp.sightline_staging";

    private final Connection c;
    private final Collection col;
    private final CopyBinary rows = new CopyBinary();
    private final List<String> ids = new ArrayList<>();
    private final String staging;
    private final CopyIn copy;
    private boolean versioned;
    private boolean unversioned;

    BulkUpsert(Connection c, Collection col) throws SQLException {
        this.c = c;
        this.col = col;
        // Two staging tables per session: vectors small enough to stay in the row (as the collection's partition
        // keeps them, VectorSql.inline) skip TOAST's compression attempt and out-of-line copy here too; COPY of
        // 10,000 512-d rows into the inline one took 65-85 ms against 92-138 ms (psql, this machine).
        this.staging = VectorSql.inline(col) ? STAGING + "_inline" : STAGING;
        try (Statement st = c.createStatement()) {
            st.execute("DO $$BEGIN IF to_regclass('" + staging + "') IS NULL THEN CREATE TEMP TABLE "
                    + staging.substring("pg_temp.".length()) + " (external_id text, modality text, embedding vector,"
                    + " embedding_half halfvec, content text, metadata jsonb, version bigint) ON COMMIT DELETE ROWS;"
                    + (staging.equals(STAGING) ? "" : " ALTER TABLE " + staging
                            + " ALTER embedding SET STORAGE PLAIN, ALTER embedding_half SET STORAGE PLAIN;")
                    + " END IF; END$$");
            st.execute("TRUNCATE " + staging);
        }
        this.copy = c.unwrap(PGConnection.class).getCopyAPI().copyIn(
                "COPY " + staging + " FROM STDIN (FORMAT BINARY)");
    }

    /** Adds a checked item (its vector has the collection's dimension and range). */
    void add(NewItem it) throws SQLException {
        ids.add(it.id());
        rows.row(7).text(it.id()).text(it.modality().wire());
        if (col.precision() == Precision.FLOAT16) {
            rows.nullField().halfvec(it.vector());
        } else {
            rows.vector(it.vector()).nullField();
        }
        rows.text(it.text()).jsonb(it.metadataJson()).int64(it.version());
        versioned |= it.version() != null;
        unversioned |= it.version() == null;
        if (rows.length() >= FLUSH_BYTES) {
            flush();
        }
    }

    /** The session's staging table (its {@code external_id} column names the items being written). */
    String staging() {
        return staging;
    }

    int size() {
        return ids.size();
    }

    /** Ends the COPY: every item is staged (the connection takes other statements again). */
    void staged() throws SQLException {
        rows.trailer();
        flush();
        copy.endCopy();
    }

    /** Writes the staged items; the ids left alone as stale. */
    List<String> write() throws SQLException {
        Set<String> written = new HashSet<>(ids.size() * 2);
        if (unversioned) {
            upsert(false, written);
        }
        if (versioned) {
            upsert(true, written);
        }
        List<String> stale = new ArrayList<>();
        for (String id : ids) {
            if (!written.contains(id)) {
                stale.add(id);
            }
        }
        return stale;
    }

    private void upsert(boolean withVersion, Set<String> written) throws SQLException {
        // Without a version: the store's clock, at least one more than the version replaced; always applies.
        // With one: applies unless the stored version is higher (an equal one is the same write retried).
        String sql = "INSERT INTO items (collection_id, external_id, modality, embedding, embedding_half, content,"
                + " metadata, version) SELECT " + col.id() + ", external_id, modality, embedding, embedding_half,"
                + " content, COALESCE(metadata, '{}'::jsonb), "
                + (withVersion ? "version" : "(extract(epoch FROM now()) * 1000000)::bigint")
                + " FROM " + staging + " WHERE version IS " + (withVersion ? "NOT NULL" : "NULL")
                + " ORDER BY external_id"
                + " ON CONFLICT (collection_id, external_id) DO UPDATE SET modality = EXCLUDED.modality,"
                + " embedding = EXCLUDED.embedding, embedding_half = EXCLUDED.embedding_half,"
                + " content = EXCLUDED.content, metadata = EXCLUDED.metadata, source_sha256 = NULL,"
                + " thumbnail_sha256 = NULL, original_sha256 = NULL, version = "
                + (withVersion ? "EXCLUDED.version" : "GREATEST(EXCLUDED.version, items.version + 1)")
                + ", updated_at = now()"
                + (withVersion ? " WHERE items.version <= EXCLUDED.version" : "")
                + " RETURNING external_id";
        try (PreparedStatement ps = c.prepareStatement(sql); ResultSet rs = ps.executeQuery()) {
            while (rs.next()) {
                written.add(rs.getString(1));
            }
        }
    }

    private void flush() throws SQLException {
        if (rows.length() > 0) {
            copy.writeToCopy(rows.buffer(), 0, rows.length());
            rows.clear();
        }
    }

    @Override
    public void close() {
        if (copy.isActive()) {
            try {
                copy.cancelCopy();
            } catch (SQLException e) {
                // The transaction is rolled back by the caller either way.
            }
        }
    }
}
