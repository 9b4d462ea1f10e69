package dev.sightline.retrieval.store;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import org.junit.jupiter.api.Test;

class BuildProgressTest {

    /** The phases of CREATE INDEX CONCURRENTLY in the order PostgreSQL reports them (pgvector's sub-phases). */
    private static final List<String> PHASES = List.of("initializing", "waiting for writers before build",
            "building index: initializing", "building index: loading tuples", "waiting for writers before validation",
            "index validation: scanning index", "index validation: sorting tuples",
            "index validation: scanning table", "waiting for old snapshots");

    @Test
    void theBuildsPassIsNineTenthsAndValidationTheRest() {
        assertEquals(0.0, BuildProgress.of("waiting for writers before build", null));
        assertEquals(0.45, BuildProgress.of("building index: loading tuples", 0.5), 1e-12);
        assertEquals(0.9, BuildProgress.of("building index: loading tuples", 1.0), 1e-12);
        assertEquals(0.915, BuildProgress.of("index validation: scanning index", 0.5), 1e-12);
        assertEquals(0.93, BuildProgress.of("index validation: sorting tuples", null), 1e-12);
        assertEquals(0.965, BuildProgress.of("index validation: scanning table", 0.5), 1e-12);
        assertEquals(1.0, BuildProgress.of("waiting for old snapshots", null));
    }

    @Test
    void neverGoesBackAcrossPhases() {
        double last = 0;
        for (String phase : PHASES) {
            for (double f : new double[] {0, 0.25, 0.836, 1}) {
                double now = BuildProgress.of(phase, f);
                assertTrue(now >= last && now <= 1, phase + " at " + f + ": " + now + " after " + last);
                last = now;
            }
        }
        assertEquals(1.0, last);
    }

    @Test
    void aFractionOutOfRangeIsClampedAndAnUnknownPhaseIsUnknown() {
        assertEquals(0.9, BuildProgress.of("building index: loading tuples", 1.7), 1e-12);
        assertEquals(0.0, BuildProgress.of("building index", -0.2), 1e-12);
        assertNull(BuildProgress.of("some later phase", 0.5));
        assertNull(BuildProgress.of(null, 0.5));
    }
}
