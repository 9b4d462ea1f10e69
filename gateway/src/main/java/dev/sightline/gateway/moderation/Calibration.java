package dev.sightline.gateway.moderation;

import java.util.ArrayList;
import java.util.List;

/**
 * Chooses a category's threshold from labelled scores: every distinct score is a candidate threshold (an input
 * fires at or above it), measured for precision and recall. For a precision target the threshold with the highest
 * recall among those meeting it is chosen, for a recall target the one with the highest precision; ties go to the
 * higher threshold.
 */
public final class Calibration {

    /** One row of the table: at this threshold, the precision and recall on the examples. */
    public record Row(double threshold, double precision, double recall) {
    }

    /**
     * The outcome: whether a threshold met the target, the chosen one (or {@code fallback} when none did), its
     * precision (null when nothing fires at it) and recall, the number of positives, and the table high to low.
     */
    public record Result(boolean met, double threshold, Double precision, double recall, int positives,
            List<Row> table) {
    }

    private Calibration() {
    }

    /**
     * @param scores the category's score for each example
     * @param positive whether each example is labelled with the category
     * @param metric "precision" or "recall"
     * @param target the value to reach, in (0, 1]
     * @param fallback the threshold kept when no candidate reaches the target
     */
    public static Result choose(double[] scores, boolean[] positive, String metric, double target, double fallback) {
        Integer[] order = new Integer[scores.length];
        for (int i = 0; i < order.length; i++) {
            order[i] = i;
        }
        java.util.Arrays.sort(order, (a, b) -> Double.compare(scores[b], scores[a]));
        int positives = 0;
        for (boolean p : positive) {
            positives += p ? 1 : 0;
        }
        List<Row> table = new ArrayList<>();
        int tp = 0;
        int fp = 0;
        Row best = null;
        for (int k = 0; k < order.length; k++) {
            int i = order[k];
            if (positive[i]) {
                tp++;
            } else {
                fp++;
            }
            if (k + 1 < order.length && scores[order[k + 1]] == scores[i]) {
                continue; // equal scores fire together: one row for them all
            }
            Row row = new Row(scores[i], tp / (double) (tp + fp), positives == 0 ? 0 : tp / (double) positives);
            table.add(row);
            boolean meets = metric.equals("precision") ? tp > 0 && row.precision() >= target : row.recall() >= target
                    && positives > 0;
            if (meets && (best == null || better(row, best, metric))) {
                best = row;
            }
        }
        if (best != null) {
            return new Result(true, best.threshold(), best.precision(), best.recall(), positives, table);
        }
        int fireTp = 0;
        int fireFp = 0;
        for (int i = 0; i < scores.length; i++) {
            if (scores[i] >= fallback) {
                if (positive[i]) {
                    fireTp++;
                } else {
                    fireFp++;
                }
            }
        }
        Double precision = fireTp + fireFp == 0 ? null : fireTp / (double) (fireTp + fireFp);
        return new Result(false, fallback, precision, positives == 0 ? 0 : fireTp / (double) positives, positives,
                table);
    }

    /** Strictly better on the metric not targeted; rows come high to low, so a tie keeps the higher threshold. */
    private static boolean better(Row row, Row best, String metric) {
        return metric.equals("precision") ? row.recall() > best.recall() : row.precision() > best.precision();
    }
}
