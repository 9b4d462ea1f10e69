package dev.sightline.gateway.moderation;

import dev.sightline.common.problem.CommonProblem;
import dev.sightline.common.problem.ProblemException;
import dev.sightline.common.vector.Cosine;
import dev.sightline.common.zeroshot.ZeroShot;
import dev.sightline.gateway.client.Embeddings;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/**
 * A stored moderation policy with its prompt vectors, ready to judge embeddings of its model: each category's score
 * is the input's highest cosine similarity with its prompts, or, when it has benign prompts, the share of its
 * prompts in a softmax over prompts and benign prompts at the model's logit scale (the probability that the input is
 * what the prompts describe rather than what the benign ones do, as zero-shot classification computes it).
 */
public record PolicyVectors(String name, String model, String updatedAt, float logitScale, List<Category> categories) {

    /** A category: its threshold, action and prompt vectors (unit length). */
    public record Category(String name, double threshold, String action, List<float[]> prompts,
            List<float[]> benign) {
    }

    /** A category's verdict on one input. */
    public record Score(String name, double score, double threshold, boolean fired, String action) {
    }

    /** The verdict on one input: reject when a fired category rejects, else flag when any fired, else allow. */
    public record Verdict(String action, List<Score> categories) {

        /** The names of the categories that fired. */
        public List<String> fired() {
            return categories.stream().filter(Score::fired).map(Score::name).toList();
        }

        /** The first fired category whose action is reject, or null. */
        public Score rejecting() {
            return categories.stream().filter(s -> s.fired() && s.action().equals("reject")).findFirst().orElse(null);
        }
    }

    /** retrieval-service's policy JSON, read with its prompt vectors ({@code include=vectors}). */
    public static PolicyVectors of(JsonObject stored, float logitScale) {
        JsonArray categories = stored.getJsonArray("categories");
        JsonArray vectors = stored.getJsonArray("prompt_vectors");
        List<Category> out = new ArrayList<>();
        for (int i = 0; i < categories.size(); i++) {
            JsonObject c = categories.getJsonObject(i);
            int prompts = c.getJsonArray("prompts").size();
            JsonArray v = vectors.getJsonArray(i);
            List<float[]> p = new ArrayList<>();
            List<float[]> b = new ArrayList<>();
            for (int k = 0; k < v.size(); k++) {
                (k < prompts ? p : b).add(Cosine.unit(Embeddings.toFloats(v.getJsonArray(k))));
            }
            out.add(new Category(c.getString("name"), c.getDouble("threshold"), c.getString("action"), p, b));
        }
        return new PolicyVectors(stored.getString("name"), stored.getString("model"), stored.getString("updated_at"),
                logitScale, List.copyOf(out));
    }

    /** Judges an embedding of this policy's model (of its prompts' dimension, or 400 dimension-mismatch). */
    public Verdict judge(float[] embedding) {
        int dimension = categories.get(0).prompts().get(0).length;
        if (embedding.length != dimension) {
            throw new ProblemException(CommonProblem.DIMENSION_MISMATCH, "Moderation policy " + name + " judges "
                    + dimension + "-d vectors of " + model + "; this one has " + embedding.length + ".");
        }
        float[] v = Cosine.unit(embedding);
        List<Score> scores = new ArrayList<>(categories.size());
        boolean flag = false;
        boolean reject = false;
        for (Category c : categories) {
            double s = score(c, v);
            boolean fired = s >= c.threshold();
            scores.add(new Score(c.name(), s, c.threshold(), fired, c.action()));
            reject |= fired && c.action().equals("reject");
            flag |= fired;
        }
        return new Verdict(reject ? "reject" : flag ? "flag" : "allow", List.copyOf(scores));
    }

    /** The category's score for a unit vector. */
    double score(Category c, float[] v) {
        double[] prompts = ZeroShot.similarities(v, c.prompts());
        if (c.benign().isEmpty()) {
            return Arrays.stream(prompts).max().orElseThrow();
        }
        // The prompts' share of a softmax over prompts and benign prompts, as zero-shot classification scores labels.
        List<float[]> all = new ArrayList<>(c.prompts());
        all.addAll(c.benign());
        double[] p = ZeroShot.softmax(ZeroShot.similarities(v, all), logitScale);
        double share = 0;
        for (int i = 0; i < prompts.length; i++) {
            share += p[i];
        }
        return share;
    }
}
