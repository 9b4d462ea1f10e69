package dev.sightline.retrieval.store;

import dev.sightline.common.problem.CommonProblem;
import dev.sightline.common.problem.ProblemException;
import dev.sightline.retrieval.Collection;
import dev.sightline.retrieval.Modality;
import dev.sightline.retrieval.config.RetrievalConfig;
import dev.sightline.retrieval.duplicates.Groups;
import jakarta.enterprise.context.ApplicationScoped;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;

/**
 * Finds the groups of near-duplicates in a collection from each item's nearest neighbours by its HNSW index (one
 * statement, a lateral index scan per item), not from all pairs: linear in the collection's size, bounded by
 * {@code limits.max-duplicate-scan}.
 */
@ApplicationScoped
public class DuplicateScan {

    /** The scan's answer: the items it read and the groups it found. */
    public record Result(long scanned, List<Groups.Group> groups) {
    }

    private record Link(String a, String b, double score) {
    }

    private final Database db;
    private final CollectionStore collections;
    private final RetrievalConfig.Duplicates settings;
    private final RetrievalConfig.Search search;
    private final int maxItems;

    public DuplicateScan(Database db, CollectionStore collections, RetrievalConfig config) {
        this.db = db;
        this.collections = collections;
        this.settings = config.duplicates();
        this.search = config.search();
        this.maxItems = config.limits().maxDuplicateScan();
    }

    /** The groups of items ({@code modality}'s, or all when null) at or above the cosine similarity threshold. */
    public Result scan(String tenant, String name, double threshold, Modality modality) {
        return db.read(tenant, c -> {
            Collection col = collections.require(c, tenant, name);
            long n;
            try (PreparedStatement ps = c.prepareStatement("SELECT count(*) FROM items WHERE collection_id = "
                    + col.id() + (modality == null ? "" : " AND modality = ?"))) {
                if (modality != null) {
                    ps.setString(1, modality.wire());
                }
                try (ResultSet rs = ps.executeQuery()) {
                    rs.next();
                    n = rs.getLong(1);
                }
            }
            // Without its index (dropped for a bulk load, being rebuilt) every lookup would be an exact scan: n².
            IndexBuilder.State index = IndexBuilder.state(c, col);
            if (!index.state().equals("ready")) {
                throw new ProblemException(CommonProblem.CONFLICT, "Collection " + name + "'s index is "
                        + index.state() + " after a bulk load; scan for duplicates once GET /collections/" + name
                        + " shows it ready.");
            }
            if (n > maxItems) {
                throw new ProblemException(CommonProblem.PAYLOAD_TOO_LARGE, "A duplicate scan reads at most "
                        + maxItems + " items; the collection holds " + n + (modality == null ? "" : " "
                        + modality.wire() + " items") + ". Narrow it with modality, or raise"
                        + " sightline.retrieval.limits.max-duplicate-scan.");
            }
            List<Link> links = new ArrayList<>();
            int k = settings.neighbours();
            try (PreparedStatement ps = c.prepareStatement("SELECT set_config('statement_timeout', ?, true); "
                    + SearchSql.SETTINGS + "; " + SearchSql.neighbours(col, modality != null))) {
                int i = 1;
                ps.setString(i++, Long.toString(settings.statementTimeout().toMillis()));
                ps.setString(i++, Integer.toString(Math.max(settings.efSearch(), k)));
                ps.setString(i++, search.iterativeScan());
                ps.setString(i++, Integer.toString(search.maxScanTuples()));
                if (modality != null) {
                    ps.setString(i++, modality.wire());
                }
                ps.setInt(i++, k);
                if (modality != null) {
                    ps.setString(i++, modality.wire());
                }
                ps.setDouble(i, 1.0 - threshold);
                ps.execute(); // the timeout's row
                if (!ps.getMoreResults() || !ps.getMoreResults()) { // the settings' row, then the links
                    throw new IllegalStateException("the duplicate scan returned no second result");
                }
                try (ResultSet rs = ps.getResultSet()) {
                    while (rs.next()) {
                        links.add(new Link(rs.getString(1), rs.getString(2), rs.getDouble(3)));
                    }
                }
            }
            // Strongest links first (as Kruskal's maximum spanning tree): a group's weakest joining link, its
            // min_score, is then the same whatever order the rows came in.
            links.sort(Comparator.comparingDouble(Link::score).reversed().thenComparing(Link::a).thenComparing(Link::b));
            Groups groups = new Groups();
            links.forEach(l -> groups.link(l.a(), l.b(), l.score()));
            return new Result(n, groups.groups());
        });
    }
}
