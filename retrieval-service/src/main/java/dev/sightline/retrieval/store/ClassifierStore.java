package dev.sightline.retrieval.store;

import com.fasterxml.jackson.core.type.TypeReference;
import dev.sightline.retrieval.Classifier;
import jakarta.enterprise.context.ApplicationScoped;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.OffsetDateTime;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/** Saved classifiers of a tenant. */
@ApplicationScoped
public class ClassifierStore {

    private final Database db;

    public ClassifierStore(Database db) {
        this.db = db;
    }

    /** Creates or replaces the classifier; true when it was created. */
    public boolean put(String tenant, Classifier c) {
        return db.inTransaction(conn -> {
            try (PreparedStatement ps = conn.prepareStatement("INSERT INTO classifiers (tenant, name, model, labels,"
                    + " templates, label_vectors) VALUES (?, ?, ?, ?::jsonb, ?::jsonb, ?::jsonb)"
                    + " ON CONFLICT (tenant, name) DO UPDATE SET model = EXCLUDED.model, labels = EXCLUDED.labels,"
                    + " templates = EXCLUDED.templates, label_vectors = EXCLUDED.label_vectors, updated_at = now()"
                    + " RETURNING (xmax = 0)")) {
                ps.setString(1, tenant);
                ps.setString(2, c.name());
                ps.setString(3, c.model());
                ps.setString(4, StoredJson.write(c.labels()));
                ps.setString(5, StoredJson.write(c.templates()));
                ps.setString(6, StoredJson.write(c.labelVectors()));
                try (ResultSet rs = ps.executeQuery()) {
                    rs.next();
                    return rs.getBoolean(1);
                }
            }
        });
    }

    public Optional<Classifier> get(String tenant, String name, boolean withVectors) {
        return db.inTransaction(conn -> {
            try (PreparedStatement ps = conn.prepareStatement("SELECT name, model, labels::text, templates::text, "
                    + (withVectors ? "label_vectors::text" : "NULL") + ", created_at, updated_at FROM classifiers"
                    + " WHERE tenant = ? AND name = ?")) {
                ps.setString(1, tenant);
                ps.setString(2, name);
                try (ResultSet rs = ps.executeQuery()) {
                    return rs.next() ? Optional.of(classifier(rs)) : Optional.empty();
                }
            }
        });
    }

    /** The tenant's classifiers by name, without their label vectors. */
    public List<Classifier> list(String tenant) {
        return db.inTransaction(conn -> {
            try (PreparedStatement ps = conn.prepareStatement("SELECT name, model, labels::text, templates::text,"
                    + " NULL, created_at, updated_at FROM classifiers WHERE tenant = ? ORDER BY name")) {
                ps.setString(1, tenant);
                List<Classifier> out = new ArrayList<>();
                try (ResultSet rs = ps.executeQuery()) {
                    while (rs.next()) {
                        out.add(classifier(rs));
                    }
                }
                return out;
            }
        });
    }

    /** A row of (name, model, labels, templates, label_vectors or NULL, created_at, updated_at). */
    private static Classifier classifier(ResultSet rs) throws SQLException {
        String vectors = rs.getString(5);
        return new Classifier(rs.getString(1), rs.getString(2),
                StoredJson.read(rs.getString(3), new TypeReference<List<String>>() { }, "classifier"),
                StoredJson.read(rs.getString(4), new TypeReference<List<String>>() { }, "classifier"),
                vectors == null ? null : StoredJson.read(vectors, new TypeReference<List<float[]>>() { }, "classifier"),
                rs.getObject(6, OffsetDateTime.class), rs.getObject(7, OffsetDateTime.class));
    }

    public boolean delete(String tenant, String name) {
        return db.inTransaction(conn -> {
            try (PreparedStatement ps = conn.prepareStatement("DELETE FROM classifiers WHERE tenant = ? AND name = ?")) {
                ps.setString(1, tenant);
                ps.setString(2, name);
                return ps.executeUpdate() > 0;
            }
        });
    }
}
