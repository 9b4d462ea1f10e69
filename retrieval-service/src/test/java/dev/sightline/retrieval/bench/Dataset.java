package dev.sightline.retrieval.bench;

import dev.sightline.retrieval.store.Float16;
import dev.sightline.retrieval.store.PgVectors;
import java.util.Arrays;
import java.util.Random;
import java.util.stream.IntStream;

/**
 * Synthetic unit vectors, held-out queries, and the exact top-k of every query by brute force: the ground truth of
 * recall. Two sets ({@code bench.dataset}):
 *
 * <ul>
 *   <li>{@code clusters}: gaussian clusters around centres on the unit sphere, queries drawn the same way. A hard case:
 *       at scale a query's 1st and 10th neighbours are nearly equidistant.
 *   <li>{@code topics}: the shape of a real CLIP collection. {@value #TOPICS} topic centres on the sphere; each topic
 *       has {@value #SUBTOPICS} sub-topics (offset norm {@value #SUBTOPIC_SPREAD} from it); each item sits near a
 *       sub-topic (offset norm {@value #ITEM_SPREAD}), and {@value #DUPLICATE_PERCENT} % of items are near-duplicates
 *       of an earlier item (offset norm {@value #DUPLICATE_SPREAD}: the same photo re-encoded, cropped, a burst).
 *       Items of a topic differ along {@value #LATENT} directions of their own (pose, light, background, framing …)
 *       plus a little noise in all 512 (norm {@value #NOISE}), not along all 512 at once: an encoder cannot give its
 *       embeddings more degrees of freedom than the images have, and natural image sets measure an intrinsic
 *       dimension of about 26–43 (Pope et al., "The Intrinsic Dimension of Images and Its Impact on Learning",
 *       ICLR 2021, MLE estimator). Half the queries are new items of a random sub-topic, half are perturbed copies
 *       (offset norm {@value #QUERY_SPREAD}, along the same directions) of stored items, as a user searching with a
 *       photo near one they uploaded. Near neighbours stand out from the crowd. The report gives both sets' local
 *       intrinsic dimension as measured (Levina–Bickel MLE on the queries' exact 10 nearest neighbours).
 * </ul>
 */
record Dataset(float[][] data, float[][] queries, int[][] truth, double[] profile) {

    static final int TOPICS = 200;
    static final int SUBTOPICS = 50;
    static final double SUBTOPIC_SPREAD = 0.9;
    static final double ITEM_SPREAD = 0.8;
    static final int DUPLICATE_PERCENT = 10;
    static final double DUPLICATE_SPREAD = 0.25;
    static final double QUERY_SPREAD = 0.4;
    static final int LATENT = 32;
    static final double NOISE = 0.1;

    static Dataset generate(Settings settings, String name) {
        return name.equals("topics") ? topics(settings) : clusters(settings);
    }

    /** One line saying how the set was made, for the report. */
    static String description(Settings settings, String name) {
        return name.equals("topics")
                ? String.format("topics → sub-topics → items (%d topics × %d sub-topics, offset norms %.2f / %.2f"
                        + " along %d directions per topic + noise %.2f, %d %% near-duplicates at %.2f; half the queries"
                        + " perturbed stored items at %.2f), seed %d", TOPICS, SUBTOPICS, SUBTOPIC_SPREAD, ITEM_SPREAD,
                        LATENT, NOISE, DUPLICATE_PERCENT, DUPLICATE_SPREAD, QUERY_SPREAD, settings.seed())
                : String.format("%d gaussian clusters (offset norm %.2f), seed %d; queries drawn the same way",
                        settings.clusters(), settings.spread(), settings.seed());
    }

    private static Dataset topics(Settings settings) {
        int n = settings.vectors();
        long t0 = System.nanoTime();
        Random rnd = new Random(settings.seed());
        float[][] subtopics = new float[TOPICS * SUBTOPICS][];
        float[][][] directions = new float[TOPICS][LATENT][];
        for (int t = 0; t < TOPICS; t++) {
            float[] topic = gaussian(rnd, 1.0);
            normalise(topic);
            for (int s = 0; s < SUBTOPICS; s++) {
                subtopics[t * SUBTOPICS + s] = near(rnd, topic, SUBTOPIC_SPREAD);
            }
            for (int k = 0; k < LATENT; k++) {
                directions[t][k] = gaussian(rnd, 1.0);
                normalise(directions[t][k]); // 32 random unit vectors in 512-d: orthogonal within a few per cent
            }
        }
        float[][] data = new float[n][];
        int[] topicOf = new int[n];
        for (int i = 0; i < n; i++) {
            if (i > 0 && rnd.nextInt(100) < DUPLICATE_PERCENT) {
                int of = rnd.nextInt(i);
                topicOf[i] = topicOf[of];
                data[i] = near(rnd, data[of], DUPLICATE_SPREAD);
            } else {
                int s = rnd.nextInt(subtopics.length);
                topicOf[i] = s / SUBTOPICS;
                data[i] = along(rnd, subtopics[s], directions[topicOf[i]], ITEM_SPREAD);
            }
        }
        Random qrnd = new Random(settings.seed() ^ 0x5DEECE66DL);
        float[][] queries = new float[Settings.QUERIES][];
        for (int i = 0; i < queries.length; i++) {
            if (i % 2 == 0) {
                int s = qrnd.nextInt(subtopics.length);
                queries[i] = along(qrnd, subtopics[s], directions[s / SUBTOPICS], ITEM_SPREAD);
            } else {
                int of = qrnd.nextInt(n);
                queries[i] = along(qrnd, data[of], directions[topicOf[of]], QUERY_SPREAD);
            }
        }
        System.out.printf("%ngenerated %d points, %s, + %d held-out queries in %.1f s%n", n,
                description(settings, "topics"), Settings.QUERIES, Stopwatch.secondsSince(t0));
        return withTruth(data, queries);
    }

    /**
     * A unit vector at an offset of expected norm {@code spread} from {@code centre} along the given directions, plus
     * isotropic noise of expected norm {@link #NOISE}.
     */
    private static float[] along(Random rnd, float[] centre, float[][] directions, double spread) {
        double sigma = spread / Math.sqrt(directions.length);
        double noise = NOISE / Math.sqrt(Settings.DIM);
        float[] v = new float[Settings.DIM];
        for (int j = 0; j < v.length; j++) {
            v[j] = (float) (centre[j] + rnd.nextGaussian() * noise);
        }
        for (float[] d : directions) {
            float z = (float) (rnd.nextGaussian() * sigma);
            for (int j = 0; j < v.length; j++) {
                v[j] += z * d[j];
            }
        }
        normalise(v);
        return v;
    }

    /** A unit vector at a gaussian offset of expected norm {@code spread} from {@code centre}. */
    private static float[] near(Random rnd, float[] centre, double spread) {
        double sigma = spread / Math.sqrt(Settings.DIM);
        float[] v = new float[Settings.DIM];
        for (int j = 0; j < v.length; j++) {
            v[j] = (float) (centre[j] + rnd.nextGaussian() * sigma);
        }
        normalise(v);
        return v;
    }

    private static Dataset clusters(Settings settings) {
        int n = settings.vectors();
        long t0 = System.nanoTime();
        Random rnd = new Random(settings.seed());
        float[][] centres = new float[settings.clusters()][];
        for (int i = 0; i < centres.length; i++) {
            centres[i] = gaussian(rnd, 1.0);
            normalise(centres[i]);
        }
        double sigma = settings.spread() / Math.sqrt(Settings.DIM);
        float[][] data = new float[n][];
        for (int i = 0; i < n; i++) {
            data[i] = point(rnd, centres, sigma);
        }
        Random qrnd = new Random(settings.seed() ^ 0x5DEECE66DL);
        float[][] queries = new float[Settings.QUERIES][];
        for (int i = 0; i < Settings.QUERIES; i++) {
            queries[i] = point(qrnd, centres, sigma);
        }
        System.out.printf("%ngenerated %d points in %d gaussian clusters (centres on the unit sphere, offset norm ~%.2f,"
                + " normalised) + %d held-out queries in %.1f s%n", n, settings.clusters(), settings.spread(),
                Settings.QUERIES, Stopwatch.secondsSince(t0));
        return withTruth(data, queries);
    }

    private static Dataset withTruth(float[][] data, float[][] queries) {
        long t0 = System.nanoTime();
        int[][] truth = new int[queries.length][];
        IntStream.range(0, queries.length).parallel().forEach(i -> truth[i] = topK(data, queries[i]));
        System.out.printf("exact top-%d of every query by brute force in %.1f s%n", Settings.TOP_K,
                Stopwatch.secondsSince(t0));
        Dataset dataset = new Dataset(data, queries, truth, profile(data, queries, truth));
        System.out.printf("  mean cosine of query to: 1st neighbour %.3f, 10th neighbour %.3f, a random point %.3f;"
                + " local intrinsic dimension %.1f%n", dataset.profile()[0], dataset.profile()[1], dataset.profile()[2],
                dataset.profile()[3]);
        return dataset;
    }

    /**
     * Recall@10 of an exact search over the vectors as float16 stores them (every stored vector and every query rounded
     * to half precision, as a halfvec column and its cast parameter hold them; cosine over the rounded values) against
     * the float32 ground truth: what the precision alone costs, without the randomness of an HNSW build, whose graphs
     * differ from build to build more than that.
     */
    double exactRecallInFloat16() {
        long t0 = System.nanoTime();
        float[][] half = new float[data.length][];
        double[] norms = new double[data.length];
        IntStream.range(0, data.length).parallel().forEach(i -> {
            half[i] = rounded(data[i]);
            norms[i] = Math.sqrt(dot(half[i], half[i]));
        });
        double[] recalls = new double[queries.length];
        IntStream.range(0, queries.length).parallel().forEach(i -> {
            float[] q = rounded(queries[i]);
            recalls[i] = recall(topK(half, q, norms), i);
        });
        double mean = Arrays.stream(recalls).average().orElse(0);
        System.out.printf("exact search over float16-rounded vectors: recall@%d %.4f against the float32 truth (%.1f s)%n",
                Settings.TOP_K, mean, Stopwatch.secondsSince(t0));
        return mean;
    }

    private static float[] rounded(float[] v) {
        float[] out = new float[v.length];
        for (int j = 0; j < v.length; j++) {
            out[j] = Float16.value(Float16.bits(v[j]));
        }
        return out;
    }

    /** The queries as pgvector text ("[x,y,...]"), as the service and the direct SQL receive them. */
    String[] queryTexts() {
        String[] text = new String[queries.length];
        for (int i = 0; i < queries.length; i++) {
            text[i] = PgVectors.format(queries[i]);
        }
        return text;
    }

    /** Share of the query's exact top-k among the ids found. */
    double recall(int[] got, int query) {
        int[] exact = truth[query];
        int hit = 0;
        for (int e : exact) {
            for (int g : got) {
                if (g == e) {
                    hit++;
                    break;
                }
            }
        }
        return hit / (double) exact.length;
    }

    /**
     * How hard the neighbourhoods are: the mean cosine of the 1st and 10th exact neighbour and of a random point, and
     * the local intrinsic dimension around the queries by the Levina–Bickel maximum-likelihood estimator on their
     * exact 10 nearest neighbours (averaged as MacKay and Ghahramani suggest: the inverse of the mean inverse).
     */
    private static double[] profile(float[][] data, float[][] queries, int[][] truth) {
        double first = 0;
        double tenth = 0;
        double random = 0;
        double inverseDimension = 0;
        int k = Settings.TOP_K;
        Random r = new Random(7);
        for (int i = 0; i < queries.length; i++) {
            first += dot(data[truth[i][0]], queries[i]);
            tenth += dot(data[truth[i][k - 1]], queries[i]);
            random += dot(data[r.nextInt(data.length)], queries[i]);
            double farthest = distance(data[truth[i][k - 1]], queries[i]);
            double logs = 0;
            for (int j = 0; j < k - 1; j++) {
                logs += Math.log(farthest / Math.max(distance(data[truth[i][j]], queries[i]), 1e-9));
            }
            inverseDimension += logs / (k - 1);
        }
        return new double[] {first / queries.length, tenth / queries.length, random / queries.length,
            queries.length / inverseDimension};
    }

    /** Euclidean distance of unit vectors from their dot product. */
    private static double distance(float[] a, float[] b) {
        return Math.sqrt(Math.max(0, 2 - 2 * dot(a, b)));
    }

    private static float[] gaussian(Random rnd, double sigma) {
        float[] v = new float[Settings.DIM];
        for (int j = 0; j < v.length; j++) {
            v[j] = (float) (rnd.nextGaussian() * sigma);
        }
        return v;
    }

    private static float[] point(Random rnd, float[][] centres, double sigma) {
        float[] c = centres[rnd.nextInt(centres.length)];
        float[] v = new float[Settings.DIM];
        for (int j = 0; j < v.length; j++) {
            v[j] = (float) (c[j] + rnd.nextGaussian() * sigma);
        }
        normalise(v);
        return v;
    }

    private static void normalise(float[] v) {
        double s = 0;
        for (float x : v) {
            s += (double) x * x;
        }
        double inv = 1 / Math.sqrt(s);
        for (int j = 0; j < v.length; j++) {
            v[j] = (float) (v[j] * inv);
        }
    }

    private static double dot(float[] a, float[] b) {
        double s = 0;
        for (int j = 0; j < a.length; j++) {
            s += (double) a[j] * b[j];
        }
        return s;
    }

    /** Indexes of the exact top-k by cosine (dot of unit vectors), best first. */
    private static int[] topK(float[][] data, float[] q) {
        return topK(data, q, null);
    }

    /** Indexes of the exact top-k by cosine, best first; {@code norms} null for unit vectors. */
    private static int[] topK(float[][] data, float[] q, double[] norms) {
        int k = Settings.TOP_K;
        int[] best = new int[k];
        double[] score = new double[k];
        Arrays.fill(score, Double.NEGATIVE_INFINITY);
        for (int i = 0; i < data.length; i++) {
            double s = norms == null ? dot(data[i], q) : dot(data[i], q) / norms[i];
            if (s > score[k - 1]) {
                int j = k - 1;
                while (j > 0 && score[j - 1] < s) {
                    score[j] = score[j - 1];
                    best[j] = best[j - 1];
                    j--;
                }
                score[j] = s;
                best[j] = i;
            }
        }
        return best;
    }
}
