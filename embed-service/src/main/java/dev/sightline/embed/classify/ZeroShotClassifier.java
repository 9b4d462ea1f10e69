package dev.sightline.embed.classify;

import dev.sightline.common.zeroshot.Prediction;
import dev.sightline.common.zeroshot.ZeroShot;
import dev.sightline.common.problem.ProblemException;
import dev.sightline.embed.Encoder;
import dev.sightline.embed.Futures;
import dev.sightline.common.problem.CommonProblem;
import dev.sightline.embed.TextEmbedding;
import dev.sightline.embed.Vectors;
import dev.sightline.embed.config.EmbedConfig;
import jakarta.enterprise.context.ApplicationScoped;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Prompt-based classification as in the CLIP paper: each label is written into the templates, the prompt
 * embeddings are averaged and renormalised (prompt ensembling), and the image is scored against every label.
 */
@ApplicationScoped
public class ZeroShotClassifier {

    private static final String SLOT = "{}";

    private final Encoder encoder;
    private final EmbedConfig.Classify config;
    private final PromptCache cache;

    public ZeroShotClassifier(Encoder encoder, EmbedConfig config) {
        this.encoder = encoder;
        this.config = config.classify();
        this.cache = new PromptCache(config.classify().cacheSize());
    }

    /** Predictions for every label (or the best topK), highest score first. */
    public List<Prediction> classify(byte[] image, List<String> labels, List<String> templates, Integer topK) {
        List<String> tpl = templates == null || templates.isEmpty() ? List.of(config.defaultTemplate()) : templates;
        check(labels, tpl);
        float[] imageVector = Futures.await(encoder.embedImages(List.of(image))).get(0);
        return ZeroShot.rank(imageVector, labels, Arrays.asList(labelEmbeddings(labels, tpl)),
                encoder.info().logitScale(), topK);
    }

    /** The template used when a request names none. */
    public String defaultTemplate() {
        return config.defaultTemplate();
    }

    /** One prompt-ensembled, unit-length embedding per label, for classifiers saved elsewhere. */
    public List<float[]> labelVectors(List<String> labels, List<String> templates) {
        List<String> tpl = templates == null || templates.isEmpty() ? List.of(config.defaultTemplate()) : templates;
        check(labels, tpl);
        return Arrays.asList(labelEmbeddings(labels, tpl));
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
        if (new HashSet<>(labels).size() != labels.size()) {
            throw new ProblemException(CommonProblem.INVALID_REQUEST, "Labels must be distinct.");
        }
        for (String l : labels) {
            if (l == null || l.isBlank()) {
                throw new ProblemException(CommonProblem.INVALID_REQUEST, "Labels must not be empty.");
            }
        }
        for (String t : templates) {
            if (t == null || !t.contains(SLOT)) {
                throw new ProblemException(CommonProblem.INVALID_REQUEST, "Every template must contain {} where the label goes.");
            }
        }
    }

    private float[][] labelEmbeddings(List<String> labels, List<String> templates) {
        String prefix = String.join("\u0000", templates) + "\u0001";
        float[][] vectors = new float[labels.size()][];
        Map<Integer, Integer> missing = new LinkedHashMap<>();
        List<String> prompts = new ArrayList<>();
        for (int i = 0; i < labels.size(); i++) {
            vectors[i] = cache.get(prefix + labels.get(i));
            if (vectors[i] == null) {
                missing.put(i, prompts.size());
                for (String t : templates) {
                    prompts.add(t.replace(SLOT, labels.get(i)));
                }
            }
        }
        if (!prompts.isEmpty()) {
            List<TextEmbedding> embedded = Futures.await(encoder.embedTexts(prompts));
            for (Map.Entry<Integer, Integer> m : missing.entrySet()) {
                float[] mean = new float[embedded.get(0).vector().length];
                for (int t = 0; t < templates.size(); t++) {
                    float[] v = embedded.get(m.getValue() + t).vector();
                    for (int d = 0; d < mean.length; d++) {
                        mean[d] += v[d];
                    }
                }
                vectors[m.getKey()] = Vectors.normalize(mean);
                cache.put(prefix + labels.get(m.getKey()), vectors[m.getKey()]);
            }
        }
        return vectors;
    }
}
