package dev.sightline.retrieval.duplicates;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeSet;

/**
 * Groups of near-duplicates from neighbour links (single linkage, by union-find): two items are in one group when a
 * chain of links at or above the threshold joins them. A group's {@code minScore} is the lowest similarity of the
 * links that joined it: given strongest first, those of its maximum spanning tree.
 */
public final class Groups {

    /** A group's ids in order, and the weakest link that joined it. */
    public record Group(List<String> ids, double minScore) {
    }

    private final Map<String, String> parent = new HashMap<>();
    private final Map<String, Double> weakest = new HashMap<>();

    /** Adds a link between two items of the given similarity. */
    public void link(String a, String b, double score) {
        String ra = root(a);
        String rb = root(b);
        if (ra.equals(rb)) {
            return; // already one group: this link joins nothing
        }
        double w = Math.min(score, Math.min(weakest.getOrDefault(ra, 1.0), weakest.getOrDefault(rb, 1.0)));
        parent.put(rb, ra);
        weakest.remove(rb);
        weakest.put(ra, w);
    }

    private String root(String x) {
        String r = x;
        while (true) {
            String p = parent.get(r);
            if (p == null) {
                break;
            }
            r = p;
        }
        // Path compression: later finds of x and of what it passed are one step.
        String y = x;
        while (!y.equals(r)) {
            String next = parent.put(y, r);
            y = next;
        }
        return r;
    }

    /** The groups, largest first, then by their first id; ids sorted within each. */
    public List<Group> groups() {
        Map<String, TreeSet<String>> members = new HashMap<>();
        for (String x : new ArrayList<>(parent.keySet())) {
            members.computeIfAbsent(root(x), k -> new TreeSet<>()).add(x);
        }
        List<Group> out = new ArrayList<>();
        members.forEach((r, ids) -> {
            ids.add(r);
            out.add(new Group(List.copyOf(ids), weakest.get(r)));
        });
        out.sort(Comparator.comparingInt((Group g) -> -g.ids().size()).thenComparing(g -> g.ids().get(0)));
        return out;
    }
}
