package dev.sightline.retrieval.store;

import com.fasterxml.jackson.core.type.TypeReference;
import dev.sightline.common.problem.CommonProblem;
import dev.sightline.common.problem.ProblemException;
import dev.sightline.retrieval.Policy;
import jakarta.enterprise.context.ApplicationScoped;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.OffsetDateTime;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/** Moderation policies of a tenant, with their prompt vectors. */
@ApplicationScoped
public class PolicyStore {

    private final Database db;

    public PolicyStore(Database db) {
        this.db = db;
    }

    /** A policy as written, and whether it was created. */
    public record Saved(Policy policy, boolean created) {
    }

    private static final String RETURNING = " RETURNING name, model, categories::text, NULL, created_at, updated_at,"
            + " (xmax = 0)";

    /**
     * Creates or replaces the policy; with {@code ifUpdatedAt}, only replaces the one last written then (409 when
     * it has changed since, or is gone).
     */
    public Saved put(String tenant, Policy p, OffsetDateTime ifUpdatedAt) {
        return db.write(tenant, conn -> {
            String sql = ifUpdatedAt == null
                    ? "INSERT INTO moderation_policies (tenant, name, model, categories, prompt_vectors)"
                    + " VALUES (?, ?, ?, ?::jsonb, ?::jsonb) ON CONFLICT (tenant, name) DO UPDATE SET model ="
                    + " EXCLUDED.model, categories = EXCLUDED.categories, prompt_vectors = EXCLUDED.prompt_vectors,"
                    + " updated_at = now()" + RETURNING
                    : "UPDATE moderation_policies SET model = ?, categories = ?::jsonb, prompt_vectors = ?::jsonb,"
                    + " updated_at = now() WHERE tenant = ? AND name = ? AND updated_at = ?" + RETURNING;
            try (PreparedStatement ps = conn.prepareStatement(sql)) {
                int i = 1;
                if (ifUpdatedAt == null) {
                    ps.setString(i++, tenant);
                    ps.setString(i++, p.name());
                }
                ps.setString(i++, p.model());
                ps.setString(i++, StoredJson.write(p.categories()));
                ps.setString(i++, StoredJson.write(p.promptVectors()));
                if (ifUpdatedAt != null) {
                    ps.setString(i++, tenant);
                    ps.setString(i++, p.name());
                    ps.setObject(i, ifUpdatedAt);
                }
                try (ResultSet rs = ps.executeQuery()) {
                    if (!rs.next()) {
                        throw new ProblemException(CommonProblem.CONFLICT, "Moderation policy " + p.name()
                                + " has changed since " + ifUpdatedAt + " (or was deleted); read it again.");
                    }
                    // An UPDATE's new row also has xmax 0: only the INSERT … ON CONFLICT path can create.
                    return new Saved(policy(rs), ifUpdatedAt == null && rs.getBoolean(7));
                }
            }
        });
    }

    public Optional<Policy> get(String tenant, String name, boolean withVectors) {
        return db.inTransaction(conn -> {
            try (PreparedStatement ps = conn.prepareStatement("SELECT name, model, categories::text, "
                    + (withVectors ? "prompt_vectors::text" : "NULL") + ", created_at, updated_at"
                    + " FROM moderation_policies WHERE tenant = ? AND name = ?")) {
                ps.setString(1, tenant);
                ps.setString(2, name);
                try (ResultSet rs = ps.executeQuery()) {
                    return rs.next() ? Optional.of(policy(rs)) : Optional.empty();
                }
            }
        });
    }

    /** The tenant's policies by name, without their vectors. */
    public List<Policy> list(String tenant) {
        return db.inTransaction(conn -> {
            try (PreparedStatement ps = conn.prepareStatement("SELECT name, model, categories::text, NULL, created_at,"
                    + " updated_at FROM moderation_policies WHERE tenant = ? ORDER BY name")) {
                ps.setString(1, tenant);
                List<Policy> out = new ArrayList<>();
                try (ResultSet rs = ps.executeQuery()) {
                    while (rs.next()) {
                        out.add(policy(rs));
                    }
                }
                return out;
            }
        });
    }

    /**
     * Deletes the policy; false when there is none. A policy that collections name is kept: 409 naming them (the
     * foreign key would refuse it too, without saying which).
     */
    public boolean delete(String tenant, String name) {
        return db.write(tenant, conn -> {
            // Locked first: a collection naming it (created or changed meanwhile) waits, or is seen below.
            if (!lock(conn, tenant, name, "UPDATE")) {
                return false;
            }
            List<String> users = new ArrayList<>();
            try (PreparedStatement ps = conn.prepareStatement("SELECT name FROM collections WHERE tenant = ? AND"
                    + " moderation = ? AND shadow_of IS NULL ORDER BY name")) {
                ps.setString(1, tenant);
                ps.setString(2, name);
                try (ResultSet rs = ps.executeQuery()) {
                    while (rs.next()) {
                        users.add(rs.getString(1));
                    }
                }
            }
            if (!users.isEmpty()) {
                throw new ProblemException(CommonProblem.CONFLICT, "Moderation policy " + name + " is applied by the"
                        + " collection" + (users.size() > 1 ? "s " : " ") + String.join(", ", users)
                        + "; set " + (users.size() > 1 ? "their" : "its") + " moderation to another policy or none,"
                        + " or delete " + (users.size() > 1 ? "them" : "it") + ", first.");
            }
            try (PreparedStatement ps = conn.prepareStatement(
                    "DELETE FROM moderation_policies WHERE tenant = ? AND name = ?")) {
                ps.setString(1, tenant);
                ps.setString(2, name);
                return ps.executeUpdate() > 0;
            }
        });
    }

    /**
     * In a collection's creation or change: the policy must exist, and stays (its row share-locked) until that
     * commits; a deletion (which locks the row first) waits, then finds the collection naming it.
     */
    static void requireForShare(Connection conn, String tenant, String name) throws SQLException {
        if (!lock(conn, tenant, name, "SHARE")) {
            throw new ProblemException(CommonProblem.NOT_FOUND, "Moderation policy " + name + " does not exist.");
        }
    }

    /** Locks the policy's row ({@code FOR UPDATE} or {@code FOR SHARE}); false when there is none. */
    private static boolean lock(Connection conn, String tenant, String name, String mode) throws SQLException {
        try (PreparedStatement ps = conn.prepareStatement("SELECT 1 FROM moderation_policies WHERE tenant = ?"
                + " AND name = ? FOR " + mode)) {
            ps.setString(1, tenant);
            ps.setString(2, name);
            try (ResultSet rs = ps.executeQuery()) {
                return rs.next();
            }
        }
    }

    /** A row of (name, model, categories, prompt_vectors or NULL, created_at, updated_at). */
    private static Policy policy(ResultSet rs) throws SQLException {
        String vectors = rs.getString(4);
        return new Policy(rs.getString(1), rs.getString(2),
                StoredJson.read(rs.getString(3), new TypeReference<List<Policy.Category>>() { }, "policy"),
                vectors == null ? null : StoredJson.read(vectors, new TypeReference<List<List<float[]>>>() { }, "policy"),
                rs.getObject(5, OffsetDateTime.class), rs.getObject(6, OffsetDateTime.class));
    }
}
