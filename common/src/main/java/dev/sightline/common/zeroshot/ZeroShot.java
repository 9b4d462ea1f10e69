package dev.sightline.common.zeroshot;

import dev.sightline.common.vector.Cosine;
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
        double[] sims = similarities(image, labelVectors);
        double[] p = softmax(sims, logitScale);
        List<Prediction> out = new ArrayList<>(n);
        for (int i = 0; i < n; i++) {
            out.add(new Prediction(labels.get(i), p[i], sims[i]));
        }
        out.sort(Comparator.comparingDouble(Prediction::score).reversed());
        return topK == null || topK >= n ? out : List.copyOf(out.subList(0, topK));
    }

    /** The cosine similarity of a unit vector with each unit vector. */
    public static double[] similarities(float[] v, List<float[]> vectors) {
        double[] sims = new double[vectors.size()];
        for (int i = 0; i < sims.length; i++) {
            sims[i] = Cosine.dot(v, vectors.get(i));
        }
        return sims;
    }

    /** The probabilities of the similarities scaled by the logit scale (shifted by the largest: no overflow). */
    public static double[] softmax(double[] sims, float logitScale) {
        double max = Double.NEGATIVE_INFINITY;
        for (double s : sims) {
            max = Math.max(max, logitScale * s);
        }
        double[] exp = new double[sims.length];
        double sum = 0;
        for (int i = 0; i < sims.length; i++) {
            exp[i] = Math.exp(logitScale * sims[i] - max);
            sum += exp[i];
        }
        for (int i = 0; i < exp.length; i++) {
            exp[i] /= sum;
        }
        return exp;
    }
}
