package dev.sightline.gateway.bench;

import java.util.Random;

/** Random unit vectors of {@link Settings#DIM} dimensions, as JSON arrays. */
final class Vectors {

    private Vectors() {
    }

    static String random(Random r) {
        int dim = Settings.DIM;
        double[] v = new double[dim];
        double norm = 0;
        for (int i = 0; i < dim; i++) {
            v[i] = r.nextGaussian();
            norm += v[i] * v[i];
        }
        norm = Math.sqrt(norm);
        StringBuilder sb = new StringBuilder(dim * 12).append('[');
        for (int i = 0; i < dim; i++) {
            sb.append(i == 0 ? "" : ",").append((float) (v[i] / norm));
        }
        return sb.append(']').toString();
    }
}
