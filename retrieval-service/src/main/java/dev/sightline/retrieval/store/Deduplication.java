package dev.sightline.retrieval.store;

import dev.sightline.common.vector.Cosine;
import dev.sightline.retrieval.Collection;
import dev.sightline.retrieval.Modality;
import dev.sightline.retrieval.SearchQuery;
import dev.sightline.retrieval.duplicates.Dedup;
import dev.sightline.retrieval.duplicates.OnDuplicate;
import dev.sightline.retrieval.duplicates.Outcome;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * {@code on_duplicate} in an upsert's transaction: each item, in request order, is compared with its nearest stored
 * items of its modality (the HNSW index) and with the earlier items of the request that are being stored, and kept,
 * skipped or stored in place of its duplicate. Upserts with {@code on_duplicate} into one collection take turns (a
 * transaction-level advisory lock), so that two requests carrying copies of one image cannot both miss the other.
 */
final class Deduplication {

    /** First key of the two-key advisory lock; the second is the collection id. */
    private static final int LOCK_CLASS = 0x5349_4455;
    /**
     * The items to write, the stored items to delete (each by the id of the item that replaces it) and every item's
     * outcome in request order.
     */
    record Decision(List<NewItem> kept, Map<String, String> replaced, List<Outcome> outcomes) {
    }

    private record Match(String id, double score, boolean inRequest) {
    }

    private Deduplication() {
    }

    /**
     * @param neighbours stored neighbours looked at per item (those the request overwrites or replaces are passed
     *        over)
     */
    static Decision decide(Connection c, Collection col, List<NewItem> items, Dedup dedup, int neighbours,
            int efSearch, String iterativeScan, int maxScanTuples) throws SQLException {
        try (PreparedStatement ps = c.prepareStatement("SELECT pg_advisory_xact_lock(?, (? % 2147483647)::int)")) {
            ps.setInt(1, LOCK_CLASS);
            ps.setLong(2, col.id());
            ps.execute();
        }
        try (PreparedStatement ps = c.prepareStatement(SearchSql.SETTINGS)) {
            ps.setString(1, Integer.toString(Math.max(efSearch, neighbours)));
            ps.setString(2, iterativeScan);
            ps.setString(3, Integer.toString(maxScanTuples));
            ps.execute();
        }
        Set<String> requestIds = new HashSet<>();
        items.forEach(it -> requestIds.add(it.id()));
        Map<String, NewItem> kept = new LinkedHashMap<>();
        Map<String, Outcome> outcomes = new LinkedHashMap<>();
        Map<String, String> replaced = new LinkedHashMap<>();
        // One statement for every item's lookup: the vector, modality and id are its parameters.
        String nearest = SearchSql.of(col, new SearchQuery(new float[col.dimension()], neighbours,
                Modality.IMAGE, null, null, neighbours, "x"));
        try (PreparedStatement lookup = c.prepareStatement(nearest)) {
            for (NewItem it : items) {
                decideOne(lookup, it, neighbours, requestIds, kept, outcomes, replaced, dedup);
            }
        }
        List<Outcome> ordered = new ArrayList<>();
        items.forEach(it -> ordered.add(outcomes.get(it.id())));
        return new Decision(List.copyOf(kept.values()), replaced, ordered);
    }

    /** Decides one item against the stored items and the request's earlier ones. */
    private static void decideOne(PreparedStatement lookup, NewItem it, int neighbours, Set<String> requestIds,
            Map<String, NewItem> kept, Map<String, Outcome> outcomes, Map<String, String> replaced, Dedup dedup)
            throws SQLException {
        Match best = nearestStored(lookup, it, neighbours, requestIds, replaced.values());
        for (NewItem earlier : kept.values()) {
            if (earlier.modality() == it.modality()) {
                double s = Cosine.of(earlier.vector(), it.vector());
                if (best == null || s > best.score()) {
                    best = new Match(earlier.id(), s, true);
                }
            }
        }
        if (best == null || best.score() < dedup.threshold()) {
            kept.put(it.id(), it);
            outcomes.put(it.id(), new Outcome(it.id(), "stored", null, null, null));
            return;
        }
        OnDuplicate action = dedup.action();
        if (action == OnDuplicate.SKIP) {
            outcomes.put(it.id(), new Outcome(it.id(), "skipped", best.id(), best.score(), null));
            return;
        }
        kept.put(it.id(), it);
        if (action == OnDuplicate.KEEP) {
            outcomes.put(it.id(), new Outcome(it.id(), "stored", best.id(), best.score(), null));
            return;
        }
        if (best.inRequest()) {
            kept.remove(best.id());
            outcomes.put(best.id(), new Outcome(best.id(), "replaced", it.id(), best.score(), null));
            // What the replaced item was to delete is now this item's to delete.
            String stored = replaced.remove(best.id());
            if (stored != null) {
                replaced.put(it.id(), stored);
            }
        } else {
            replaced.put(it.id(), best.id());
        }
        outcomes.put(it.id(), new Outcome(it.id(), "stored", best.id(), best.score(), true));
    }

    /** The closest stored item of the same modality that this request neither overwrites nor replaces, or null. */
    private static Match nearestStored(PreparedStatement ps, NewItem it, int neighbours, Set<String> requestIds,
            java.util.Collection<String> replaced) throws SQLException {
        ps.setString(1, PgVectors.format(it.vector()));
        ps.setString(2, it.modality().wire());
        ps.setString(3, it.id());
        ps.setInt(4, neighbours);
        Match best = null;
        try (ResultSet rs = ps.executeQuery()) {
            while (rs.next()) {
                String id = rs.getString(1);
                double score = 1.0 - rs.getDouble(5);
                // An item this request writes is compared as it will be, above; a replaced one is going.
                if (!requestIds.contains(id) && !replaced.contains(id) && (best == null || score > best.score())) {
                    best = new Match(id, score, false);
                }
            }
        }
        return best;
    }
}
