package dev.sightline.gateway.service;

import dev.sightline.common.naming.Names;
import dev.sightline.common.problem.CommonProblem;
import dev.sightline.common.problem.ProblemException;
import dev.sightline.gateway.client.Embeddings;
import dev.sightline.gateway.client.RetrievalClient;
import dev.sightline.gateway.config.GatewayConfig;
import dev.sightline.gateway.moderation.Calibration;
import dev.sightline.gateway.moderation.PolicyVectors;
import dev.sightline.gateway.moderation.PolicyVectors.Verdict;
import io.smallrye.mutiny.Uni;
import io.smallrye.mutiny.infrastructure.Infrastructure;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import jakarta.enterprise.context.ApplicationScoped;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.Executor;

/**
 * Calibration of a moderation policy: labelled examples (images, texts or stored items) scored by each category,
 * a threshold chosen per category for a precision or recall target ({@link Calibration}), and stored unless asked
 * not to, only if the policy is still the one that scored them.
 */
@ApplicationScoped
public class Calibrator {

    /** One labelled example of a calibration: exactly one of image, text and item_id. */
    public record Example(String image, String text, String itemId, List<String> categories) {
    }

    /** What a calibration aims for: "precision" or "recall" at least {@code value}. */
    public record Target(String metric, Double value) {
    }

    /** {@code POST /v1/moderation/policies/{name}/calibrate}. */
    public record Calibrate(List<Example> examples, String collection, Target target, Boolean dryRun) {
    }

    private final ModerationService policies;
    private final Embedder embedder;
    private final RetrievalClient retrieval;
    private final GatewayConfig.Limits limits;
    // Scoring a thousand examples is CPU work: not on the event loop.
    private final Executor worker = Infrastructure.getDefaultWorkerPool();

    public Calibrator(ModerationService policies, Embedder embedder, RetrievalClient retrieval, GatewayConfig config) {
        this.policies = policies;
        this.embedder = embedder;
        this.retrieval = retrieval;
        this.limits = config.limits();
    }

    /** Chooses each category's threshold for the target from labelled examples, and stores them (unless dry_run). */
    public Uni<Map<String, Object>> calibrate(String tenant, String name, Calibrate req) {
        ModerationService.checkName(name);
        List<Example> examples = req.examples();
        if (examples == null || examples.isEmpty()) {
            throw Problems.invalid("examples must be a non-empty array.");
        }
        if (examples.size() > limits.maxCalibrationExamples()) {
            throw Problems.tooLarge("At most " + limits.maxCalibrationExamples() + " examples per calibration; got "
                    + examples.size() + ".");
        }
        Target target = req.target();
        if (target == null || !("precision".equals(target.metric()) || "recall".equals(target.metric()))) {
            throw Problems.invalid("target.metric must be precision or recall.");
        }
        if (target.value() == null || !(target.value() > 0 && target.value() <= 1)) {
            throw Problems.invalid("target.value must be a number above 0 and at most 1.");
        }
        List<Input> inputs = new ArrayList<>();
        List<Integer> embeddedAt = new ArrayList<>();
        List<Integer> itemsAt = new ArrayList<>();
        for (int i = 0; i < examples.size(); i++) {
            Example e = examples.get(i);
            String where = "examples[" + i + "]";
            if (e == null) {
                throw Problems.invalid(where + " must be an object.");
            }
            int given = (e.image() != null ? 1 : 0) + (e.text() != null ? 1 : 0) + (e.itemId() != null ? 1 : 0);
            if (given != 1) {
                throw Problems.invalid(where + " needs exactly one of image, text and item_id.");
            }
            if (e.categories() == null) {
                throw Problems.invalid(where + ".categories is required (an empty array: in no category).");
            }
            if (e.itemId() != null) {
                if (!Names.ITEM_ID.matcher(e.itemId()).matches()) {
                    throw Problems.invalid(where + ".item_id must match " + Names.ITEM_ID.pattern() + ".");
                }
                if (req.collection() == null) {
                    throw Problems.invalid(where + " names an item: give collection, the items' collection.");
                }
                itemsAt.add(i);
            } else {
                inputs.add(new Input(e.text(), e.image()));
                embeddedAt.add(i);
            }
        }
        return policies.load(tenant, name).flatMap(p -> {
            Set<String> known = new HashSet<>();
            p.categories().forEach(c -> known.add(c.name()));
            for (int i = 0; i < examples.size(); i++) {
                for (String c : examples.get(i).categories()) {
                    if (!known.contains(c)) {
                        throw Problems.invalid("examples[" + i + "].categories: policy " + name + " has no category "
                                + c + ".");
                    }
                }
            }
            Uni<List<float[]>> embedded = inputs.isEmpty() ? Uni.createFrom().item(List.of())
                    : embedder.embedAll(inputs, limits.maxEmbeddingInputs(), limits.maxImages(),
                            i -> "examples[" + embeddedAt.get(i) + "]", p.model());
            return embedded.flatMap(vectors -> itemVectors(tenant, req.collection(), p, examples, itemsAt)
                    .map(items -> {
                        float[][] all = new float[examples.size()][];
                        for (int k = 0; k < embeddedAt.size(); k++) {
                            all[embeddedAt.get(k)] = vectors.get(k);
                        }
                        for (int k = 0; k < itemsAt.size(); k++) {
                            all[itemsAt.get(k)] = items.get(k);
                        }
                        return all;
                    }))
                    .emitOn(worker)
                    .flatMap(all -> calibrated(tenant, name, p, examples, all, target,
                            Boolean.TRUE.equals(req.dryRun())));
        });
    }

    /** The stored vectors of the examples naming items, in order; the collection must hold the policy's model. */
    private Uni<List<float[]>> itemVectors(String tenant, String collection, PolicyVectors p, List<Example> examples,
            List<Integer> at) {
        if (at.isEmpty()) {
            return Uni.createFrom().item(List.of());
        }
        return retrieval.collection(tenant, collection).flatMap(c -> {
            if (!p.model().equals(c.getString("model"))) {
                throw new ProblemException(CommonProblem.CONFLICT, "Collection " + collection + " holds vectors of "
                        + c.getString("model") + "; policy " + p.name() + " is of " + p.model() + ".");
            }
            List<Uni<float[]>> reads = new ArrayList<>();
            for (int i : at) {
                String id = examples.get(i).itemId();
                reads.add(retrieval.item(tenant, collection, id, true).map(item -> {
                    if (item.getJsonArray("vector") == null) {
                        throw new IllegalStateException("retrieval-service sent item " + id + " without its vector");
                    }
                    return Embeddings.toFloats(item.getJsonArray("vector"));
                }));
            }
            // Four at a time: a thousand reads must not open a thousand backend calls at once.
            return Uni.join().all(reads).usingConcurrencyOf(4).andFailFast();
        });
    }

    private Uni<Map<String, Object>> calibrated(String tenant, String name, PolicyVectors p, List<Example> examples,
            float[][] vectors, Target target, boolean dryRun) {
        List<Verdict> verdicts = new ArrayList<>();
        for (float[] v : vectors) {
            verdicts.add(p.judge(v));
        }
        List<Map<String, Object>> out = new ArrayList<>();
        Map<String, Double> chosen = new LinkedHashMap<>();
        for (int c = 0; c < p.categories().size(); c++) {
            PolicyVectors.Category cat = p.categories().get(c);
            double[] scores = new double[vectors.length];
            boolean[] positive = new boolean[vectors.length];
            for (int i = 0; i < vectors.length; i++) {
                scores[i] = verdicts.get(i).categories().get(c).score();
                positive[i] = examples.get(i).categories().contains(cat.name());
            }
            Calibration.Result r = Calibration.choose(scores, positive, target.metric(), target.value(),
                    cat.threshold());
            chosen.put(cat.name(), r.threshold());
            Map<String, Object> m = new LinkedHashMap<>();
            m.put("name", cat.name());
            m.put("met", r.met());
            m.put("threshold", r.threshold());
            m.put("previous_threshold", cat.threshold());
            m.put("precision", r.precision());
            m.put("recall", r.recall());
            m.put("positives", r.positives());
            m.put("table", r.table());
            out.add(m);
        }
        Map<String, Object> answer = new LinkedHashMap<>();
        answer.put("policy", name);
        answer.put("model", p.model());
        answer.put("target", Map.of("metric", target.metric(), "value", target.value()));
        answer.put("examples", vectors.length);
        answer.put("stored", !dryRun);
        answer.put("categories", out);
        if (dryRun) {
            return Uni.createFrom().item(answer);
        }
        // The stored policy with the new thresholds, its prompt vectors as they are; written only if it is still the
        // policy these scores were computed with (409 otherwise).
        return retrieval.policy(tenant, name, true).flatMap(stored -> {
            if (!stored.getString("updated_at").equals(p.updatedAt())) {
                throw new ProblemException(CommonProblem.CONFLICT, "Moderation policy " + name + " changed during"
                        + " the calibration; calibrate it again.");
            }
            JsonArray categories = stored.getJsonArray("categories");
            for (int i = 0; i < categories.size(); i++) {
                JsonObject c = categories.getJsonObject(i);
                Double t = chosen.get(c.getString("name"));
                if (t != null) {
                    c.put("threshold", t);
                }
            }
            return retrieval.savePolicy(tenant, name, new JsonObject().put("model", stored.getString("model"))
                    .put("categories", categories).put("prompt_vectors", stored.getJsonArray("prompt_vectors"))
                    .put("if_updated_at", p.updatedAt()));
        }).map(saved -> answer);
    }
}
