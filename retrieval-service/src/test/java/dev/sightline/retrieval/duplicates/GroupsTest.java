package dev.sightline.retrieval.duplicates;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.List;
import org.junit.jupiter.api.Test;

class GroupsTest {

    @Test
    void linksJoinChainsIntoGroupsLargestFirstWithSortedIds() {
        Groups g = new Groups();
        g.link("d", "c", 0.99);
        g.link("b", "a", 0.97);
        g.link("c", "e", 0.98);
        assertEquals(List.of(new Groups.Group(List.of("c", "d", "e"), 0.98), new Groups.Group(List.of("a", "b"), 0.97)),
                g.groups());
    }

    @Test
    void aLinkWithinAGroupDoesNotLowerItsMinScore() {
        Groups g = new Groups();
        // Strongest first, as the scan gives them: a-b and b-c join the group, a-c (weaker) joins nothing.
        g.link("a", "b", 0.99);
        g.link("b", "c", 0.98);
        g.link("a", "c", 0.95);
        assertEquals(List.of(new Groups.Group(List.of("a", "b", "c"), 0.98)), g.groups());
    }

    @Test
    void twoGroupsJoinedByALinkTakeTheWeakestOfAll() {
        Groups g = new Groups();
        g.link("a", "b", 0.99);
        g.link("c", "d", 0.97);
        g.link("b", "c", 0.98);
        assertEquals(List.of(new Groups.Group(List.of("a", "b", "c", "d"), 0.97)), g.groups());
    }
}
