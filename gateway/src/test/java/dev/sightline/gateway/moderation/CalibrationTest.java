package dev.sightline.gateway.moderation;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import org.junit.jupiter.api.Test;

class CalibrationTest {

    private static final double[] SCORES = {0.5, 0.9, 0.7, 0.6, 0.8};
    private static final boolean[] POSITIVE = {false, true, false, true, true};

    @Test
    void theTableHasEveryScoreAsAThresholdHighToLow() {
        Calibration.Result r = Calibration.choose(SCORES, POSITIVE, "precision", 0.75, 0.3);
        assertEquals(List.of(new Calibration.Row(0.9, 1.0, 1 / 3.0), new Calibration.Row(0.8, 1.0, 2 / 3.0),
                new Calibration.Row(0.7, 2 / 3.0, 2 / 3.0), new Calibration.Row(0.6, 0.75, 1.0),
                new Calibration.Row(0.5, 0.6, 1.0)), r.table());
        assertEquals(3, r.positives());
    }

    @Test
    void aPrecisionTargetTakesTheHighestRecallThatMeetsIt() {
        Calibration.Result r = Calibration.choose(SCORES, POSITIVE, "precision", 0.75, 0.3);
        assertTrue(r.met());
        assertEquals(0.6, r.threshold());
        assertEquals(0.75, r.precision());
        assertEquals(1.0, r.recall());
        // 0.9: 0.8 and 0.9 both have precision 1; 0.8 recalls more.
        assertEquals(0.8, Calibration.choose(SCORES, POSITIVE, "precision", 0.9, 0.3).threshold());
    }

    @Test
    void aRecallTargetTakesTheHighestPrecisionThatMeetsItAndTiesTheHigherThreshold() {
        assertEquals(0.6, Calibration.choose(SCORES, POSITIVE, "recall", 1.0, 0.3).threshold());
        // Recall 2/3 is met at 0.8 and 0.7 (precision 1 and 2/3), and at 0.6 and 0.5.
        assertEquals(0.8, Calibration.choose(SCORES, POSITIVE, "recall", 0.6, 0.3).threshold());
        double[] tied = {0.9, 0.8};
        boolean[] both = {true, true};
        // Both thresholds have precision 1 and recall ≥ 0.5; the higher one is kept.
        assertEquals(0.9, Calibration.choose(tied, both, "recall", 0.5, 0.3).threshold());
    }

    @Test
    void equalScoresFireTogether() {
        double[] scores = {0.8, 0.8, 0.4};
        boolean[] positive = {true, false, true};
        assertEquals(List.of(new Calibration.Row(0.8, 0.5, 0.5), new Calibration.Row(0.4, 2 / 3.0, 1.0)),
                Calibration.choose(scores, positive, "precision", 0.5, 0.0).table());
    }

    @Test
    void anUnreachableTargetKeepsTheThresholdAndReportsItsFigures() {
        Calibration.Result r = Calibration.choose(SCORES, POSITIVE, "precision", 1.0, 0.65);
        assertTrue(r.met()); // precision 1 is reached at 0.9 and 0.8
        Calibration.Result none = Calibration.choose(new double[] {0.9, 0.2}, new boolean[] {false, true}, "precision",
                0.9, 0.65);
        assertFalse(none.met());
        assertEquals(0.65, none.threshold());
        assertEquals(0.0, none.precision());
        assertEquals(0.0, none.recall());
        Calibration.Result nothingFires = Calibration.choose(new double[] {0.1}, new boolean[] {false}, "recall",
                0.5, 0.65);
        assertFalse(nothingFires.met());
        assertNull(nothingFires.precision());
        assertEquals(0, nothingFires.positives());
    }
}
