package dev.sightline.common.zeroshot;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;

/** CLIP's zero-shot scoring: cosine similarities, scaled by the logit scale, softmax over the labels. */
public final class ZeroShot {

    private ZeroShot() {
    }

    /** Predictions for every label (or the best topK), highest score first; vectors are unit length. */
    public static List<Prediction> rank(float[] image, List<String> labels, List<float[]> labelVectors,
            float logitScale, Integer topK) {
        int n = labels.size();
        double[] sims = new double[n];
        double max = Double.NEGATIVE_INFINITY;
        for (int i = 0; i < n; i++) {
            sims[i] = dot(image, labelVectors.get(i));
            max = Math.max(max, logitScale * sims[i]);
        }
        double[] exp = new double[n];
        double sum = 0;
        for (int i = 0; i < n; i++) {
            exp[i] = Math.exp(logitScale * sims[i] - max);
            sum += exp[i];
        }
        List<Prediction> out = new ArrayList<>(n);
        for (int i = 0; i < n; i++) {
            out.add(new Prediction(labels.get(i), exp[i] / sum, sims[i]));
        }
        out.sort(Comparator.comparingDouble(Prediction::score).reversed());
        return topK == null || topK >= n ? out : List.copyOf(out.subList(0, topK));
    }

    private static double dot(float[] a, float[] b) {
        if (a.length != b.length) {
            throw new IllegalArgumentException("vectors of " + a.length + " and " + b.length + " dimensions");
        }
        double s = 0;
        for (int i = 0; i < a.length; i++) {
            s += (double) a[i] * b[i];
        }
        return s;
    }
}
