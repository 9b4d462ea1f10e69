package dev.sightline.retrieval.store;

import dev.sightline.retrieval.Collection;
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
    /** Stored neighbours looked at per item: those the request overwrites or replaces are passed over. */
    private static final int NEIGHBOURS = 8;

    /** The items to write, the stored items to delete (replaced) and every item's outcome in request order. */
    record Decision(List<NewItem> kept, Set<String> replaced, List<Outcome> outcomes) {
    }

    private record Match(String id, double score, boolean inRequest) {
    }

    private Deduplication() {
    }

    static Decision decide(Connection c, Collection col, List<NewItem> items, Dedup dedup, int efSearch,
            String iterativeScan, int maxScanTuples) throws SQLException {
        try (PreparedStatement ps = c.prepareStatement("SELECT pg_advisory_xact_lock(?, (? % 2147483647)::int)")) {
            ps.setInt(1, LOCK_CLASS);
            ps.setLong(2, col.id());
            ps.execute();
        }
        try (PreparedStatement ps = c.prepareStatement(SearchSql.SETTINGS)) {
            ps.setString(1, Integer.toString(Math.max(efSearch, NEIGHBOURS)));
            ps.setString(2, iterativeScan);
            ps.setString(3, Integer.toString(maxScanTuples));
            ps.execute();
        }
        Set<String> requestIds = new HashSet<>();
        items.forEach(it -> requestIds.add(it.id()));
        Map<String, NewItem> kept = new LinkedHashMap<>();
        Map<String, Outcome> outcomes = new LinkedHashMap<>();
        Set<String> replaced = new HashSet<>();
        for (NewItem it : items) {
            Match best = nearestStored(c, col, it, requestIds, replaced);
            for (NewItem earlier : kept.values()) {
                if (earlier.modality() == it.modality()) {
                    double s = cosine(earlier.vector(), it.vector());
                    if (best == null || s > best.score()) {
                        best = new Match(earlier.id(), s, true);
                    }
                }
            }
            if (best == null || best.score() < dedup.threshold()) {
                kept.put(it.id(), it);
                outcomes.put(it.id(), new Outcome(it.id(), "stored", null, null, null));
                continue;
            }
            OnDuplicate action = dedup.action();
            if (action == OnDuplicate.SKIP) {
                outcomes.put(it.id(), new Outcome(it.id(), "skipped", best.id(), best.score(), null));
                continue;
            }
            kept.put(it.id(), it);
            if (action == OnDuplicate.KEEP) {
                outcomes.put(it.id(), new Outcome(it.id(), "stored", best.id(), best.score(), null));
                continue;
            }
            if (best.inRequest()) {
                kept.remove(best.id());
                outcomes.put(best.id(), new Outcome(best.id(), "replaced", it.id(), best.score(), null));
            } else {
                replaced.add(best.id());
            }
            outcomes.put(it.id(), new Outcome(it.id(), "stored", best.id(), best.score(), true));
        }
        List<Outcome> ordered = new ArrayList<>();
        items.forEach(it -> ordered.add(outcomes.get(it.id())));
        return new Decision(List.copyOf(kept.values()), replaced, ordered);
    }

    /** The closest stored item of the same modality that this request neither overwrites nor replaces, or null. */
    private static Match nearestStored(Connection c, Collection col, NewItem it, Set<String> requestIds,
            Set<String> replaced) throws SQLException {
        SearchQuery q = new SearchQuery(it.vector(), NEIGHBOURS, it.modality(), null, null, NEIGHBOURS, it.id());
        try (PreparedStatement ps = c.prepareStatement(SearchSql.of(col, q))) {
            ps.setString(1, PgVectors.format(it.vector()));
            ps.setString(2, it.modality().wire());
            ps.setString(3, it.id());
            ps.setInt(4, NEIGHBOURS);
            Match best = null;
            try (ResultSet rs = ps.executeQuery()) {
                while (rs.next()) {
                    String id = rs.getString(1);
                    double score = 1.0 - rs.getDouble(5);
                    // An item this request writes is compared as it will be, below; a replaced one is going.
                    if (!requestIds.contains(id) && !replaced.contains(id) && (best == null || score > best.score())) {
                        best = new Match(id, score, false);
                    }
                }
            }
            return best;
        }
    }

    /** Cosine similarity (the vectors need not be normalised). */
    static double cosine(float[] a, float[] b) {
        double dot = 0;
        double na = 0;
        double nb = 0;
        for (int i = 0; i < a.length; i++) {
            dot += (double) a[i] * b[i];
            na += (double) a[i] * a[i];
            nb += (double) b[i] * b[i];
        }
        return dot / Math.sqrt(na * nb);
    }
}
