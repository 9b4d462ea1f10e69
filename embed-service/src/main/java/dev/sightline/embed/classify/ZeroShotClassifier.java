package dev.sightline.embed.classify;

import dev.sightline.common.problem.CommonProblem;
import dev.sightline.common.problem.ProblemException;
import dev.sightline.common.zeroshot.Prediction;
import dev.sightline.common.zeroshot.ZeroShot;
import dev.sightline.embed.Encoder;
import dev.sightline.embed.Futures;
import dev.sightline.embed.TextEmbedding;
import dev.sightline.embed.Unicode;
import dev.sightline.embed.Vectors;
import dev.sightline.embed.config.EmbedConfig;
import jakarta.enterprise.context.ApplicationScoped;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashSet;
import java.util.List;

/**
 * Prompt-based classification as in the CLIP paper: each label is written into the templates, the prompt
 * embeddings are averaged and renormalised (prompt ensembling), and the image is scored against every label.
 *
 * <p>Every limit is checked by arithmetic before any prompt string exists. Prompts that fit the text queue are
 * admitted whole like any request; more are embedded in chunks of half the queue, one after the other, so a
 * classification the limits allow is never refused for being larger than the queue, and never takes all of it.
 */
@ApplicationScoped
public class ZeroShotClassifier {

    private static final String SLOT = "{}";

    private final EmbedConfig.Classify config;
    private final int maxPromptChars;
    private final PromptCache cache;

    public ZeroShotClassifier(EmbedConfig config) {
        this.config = config.classify();
        // A prompt is a text for the encoder, so it obeys the per-text limit.
        this.maxPromptChars = config.limits().maxTextChars();
        this.cache = new PromptCache(config.classify().cacheSize());
    }

    /** Predictions for every label (or the best topK), highest score first. */
    public List<Prediction> classify(Encoder encoder, byte[] image, List<String> labels, List<String> templates,
            Integer topK) {
        List<String> tpl = templates == null || templates.isEmpty() ? List.of(config.defaultTemplate()) : templates;
        check(labels, tpl);
        float[] imageVector = Futures.await(encoder.embedImages(List.of(image))).get(0);
        return ZeroShot.rank(imageVector, labels, Arrays.asList(labelEmbeddings(encoder, labels, tpl)),
                encoder.info().logitScale(), topK);
    }

    /** The template used when a request names none. */
    public String defaultTemplate() {
        return config.defaultTemplate();
    }

    /** One prompt-ensembled, unit-length embedding per label, for classifiers saved elsewhere. */
    public List<float[]> labelVectors(Encoder encoder, List<String> labels, List<String> templates) {
        List<String> tpl = templates == null || templates.isEmpty() ? List.of(config.defaultTemplate()) : templates;
        check(labels, tpl);
        return Arrays.asList(labelEmbeddings(encoder, labels, tpl));
    }

    private void check(List<String> labels, List<String> templates) {
        if (labels.size() < config.minLabels() || labels.size() > config.maxLabels()) {
            throw new ProblemException(labels.size() > config.maxLabels() ? CommonProblem.PAYLOAD_TOO_LARGE : CommonProblem.INVALID_REQUEST,
                    "Give between " + config.minLabels() + " and " + config.maxLabels() + " labels; got "
                            + labels.size() + ".");
        }
        if (templates.size() > config.maxTemplates()) {
            throw new ProblemException(CommonProblem.PAYLOAD_TOO_LARGE,
                    "At most " + config.maxTemplates() + " templates; got " + templates.size() + ".");
        }
        long prompts = (long) labels.size() * templates.size();
        if (prompts > config.maxPrompts()) {
            throw new ProblemException(CommonProblem.PAYLOAD_TOO_LARGE, labels.size() + " labels x " + templates.size()
                    + " templates make " + prompts + " prompts; the limit is " + config.maxPrompts() + ".");
        }
        int longestLabel = 0;
        for (int i = 0; i < labels.size(); i++) {
            String l = labels.get(i);
            if (l == null || l.isBlank()) {
                throw new ProblemException(CommonProblem.INVALID_REQUEST, "Labels must not be empty.");
            }
            if (l.length() > config.maxLabelChars()) {
                throw new ProblemException(CommonProblem.PAYLOAD_TOO_LARGE, "Label " + i + " has " + l.length()
                        + " characters; the limit is " + config.maxLabelChars() + ".");
            }
            wellFormed(l, "Label " + i);
            longestLabel = Math.max(longestLabel, l.length());
        }
        for (int i = 0; i < templates.size(); i++) {
            String t = templates.get(i);
            if (t == null || !t.contains(SLOT)) {
                throw new ProblemException(CommonProblem.INVALID_REQUEST, "Every template must contain {} where the label goes.");
            }
            if (t.length() > config.maxTemplateChars()) {
                throw new ProblemException(CommonProblem.PAYLOAD_TOO_LARGE, "Template " + i + " has " + t.length()
                        + " characters; the limit is " + config.maxTemplateChars() + ".");
            }
            wellFormed(t, "Template " + i);
            // Every {} takes the label, so a template of many slots multiplies a label's length.
            long longest = t.length() + (long) slots(t) * (longestLabel - SLOT.length());
            if (longest > maxPromptChars) {
                throw new ProblemException(CommonProblem.PAYLOAD_TOO_LARGE, "Template " + i + " with the longest label"
                        + " makes a prompt of " + longest + " characters; the limit is " + maxPromptChars + ".");
            }
        }
        if (new HashSet<>(labels).size() != labels.size()) {
            throw new ProblemException(CommonProblem.INVALID_REQUEST, "Labels must be distinct.");
        }
    }

    private static void wellFormed(String s, String what) {
        int at = Unicode.unpairedSurrogate(s);
        if (at >= 0) {
            throw new ProblemException(CommonProblem.INVALID_REQUEST,
                    what + " is not well-formed Unicode (unpaired surrogate at index " + at + ").");
        }
    }

    private static int slots(String template) {
        int n = 0;
        for (int i = template.indexOf(SLOT); i >= 0; i = template.indexOf(SLOT, i + SLOT.length())) {
            n++;
        }
        return n;
    }

    private float[][] labelEmbeddings(Encoder encoder, List<String> labels, List<String> templates) {
        String digest = PromptKey.digest(templates);
        String model = encoder.info().id();
        float[][] vectors = new float[labels.size()][];
        List<Integer> missing = new ArrayList<>();
        for (int i = 0; i < labels.size(); i++) {
            vectors[i] = cache.get(new PromptKey(model, digest, labels.get(i)));
            if (vectors[i] == null) {
                missing.add(i);
            }
        }
        // Prompt p is template p % T of missing label p / T: a label's prompts are consecutive, so its sum is
        // complete (and cached) within the chunk holding its last template.
        int t = templates.size();
        int total = missing.size() * t;
        int chunk = chunkSize(encoder, total);
        float[] sum = null;
        for (int from = 0; from < total; from += chunk) {
            int to = Math.min(total, from + chunk);
            List<String> prompts = new ArrayList<>(to - from);
            for (int p = from; p < to; p++) {
                prompts.add(templates.get(p % t).replace(SLOT, labels.get(missing.get(p / t))));
            }
            List<TextEmbedding> embedded = Futures.await(encoder.embedTexts(prompts));
            for (int p = from; p < to; p++) {
                float[] v = embedded.get(p - from).vector();
                if (p % t == 0) {
                    sum = new float[v.length];
                }
                for (int d = 0; d < sum.length; d++) {
                    sum[d] += v[d];
                }
                if (p % t == t - 1) {
                    int label = missing.get(p / t);
                    vectors[label] = Vectors.normalize(sum);
                    cache.put(new PromptKey(model, digest, labels.get(label)), vectors[label]);
                }
            }
        }
        return vectors;
    }

    /** All prompts at once when they fit the text queue, else half the queue at a time. */
    private static int chunkSize(Encoder encoder, int prompts) {
        int capacity = encoder.info().textBatching().queueCapacity();
        return prompts <= capacity ? Math.max(prompts, 1) : Math.max(capacity / 2, 1);
    }
}
