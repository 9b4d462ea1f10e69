package dev.sightline.gateway.service;

import dev.sightline.common.naming.Names;
import dev.sightline.common.problem.CommonProblem;
import dev.sightline.common.problem.ProblemException;
import dev.sightline.gateway.GatewayProblem;
import dev.sightline.gateway.client.BackendReply;
import dev.sightline.gateway.client.EmbedClient;
import dev.sightline.gateway.client.Embeddings;
import dev.sightline.gateway.client.ModelInfo;
import dev.sightline.gateway.client.RetrievalClient;
import dev.sightline.gateway.config.GatewayConfig;
import dev.sightline.gateway.moderation.Calibration;
import dev.sightline.gateway.moderation.PolicyVectors;
import dev.sightline.gateway.moderation.PolicyVectors.Verdict;
import io.micrometer.core.instrument.MeterRegistry;
import io.smallrye.mutiny.Uni;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import jakarta.enterprise.context.ApplicationScoped;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Moderation policies: saved with their prompt vectors computed once (with the policy's model), applied to an image
 * or a text on request, to every item a collection naming the policy ingests, and calibrated from labelled examples.
 */
@ApplicationScoped
public class ModerationService {

    /** A category of {@code PUT /v1/moderation/policies/{name}}. */
    public record CategoryInput(String name, List<String> prompts, List<String> benign, Double threshold,
            String action) {
    }

    /** {@code PUT /v1/moderation/policies/{name}}; {@code model} null: the default model. */
    public record SavePolicy(String model, List<CategoryInput> categories) {
    }

    /** {@code POST /v1/moderate}: exactly one of image and text. */
    public record Moderate(String policy, String image, String text) {
    }

    /** One labelled example of a calibration: exactly one of image, text and item_id. */
    public record Example(String image, String text, String itemId, List<String> categories) {
    }

    /** What a calibration aims for: "precision" or "recall" at least {@code value}. */
    public record Target(String metric, Double value) {
    }

    /** {@code POST /v1/moderation/policies/{name}/calibrate}. */
    public record Calibrate(List<Example> examples, String collection, Target target, Boolean dryRun) {
    }

    private final EmbedClient embed;
    private final Embedder embedder;
    private final RetrievalClient retrieval;
    private final GatewayConfig.Limits limits;
    private final MeterRegistry meters;

    public ModerationService(EmbedClient embed, Embedder embedder, RetrievalClient retrieval, GatewayConfig config,
            MeterRegistry meters) {
        this.meters = meters;
        this.embed = embed;
        this.embedder = embedder;
        this.retrieval = retrieval;
        this.limits = config.limits();
    }

    /** Checks the categories, embeds every prompt once with the policy's model and stores the policy. */
    public Uni<BackendReply> save(String tenant, String name, SavePolicy req) {
        checkName(name);
        List<CategoryInput> categories = req.categories();
        if (categories == null || categories.isEmpty()) {
            throw Problems.invalid("categories must be a non-empty array.");
        }
        if (categories.size() > limits.maxPolicyCategories()) {
            throw Problems.tooLarge("At most " + limits.maxPolicyCategories() + " categories per policy.");
        }
        List<Input> prompts = new ArrayList<>();
        JsonArray stored = new JsonArray();
        Set<String> names = new HashSet<>();
        for (int i = 0; i < categories.size(); i++) {
            CategoryInput c = categories.get(i);
            String where = "categories[" + i + "]";
            if (c == null || c.name() == null || !Names.isName(c.name()) || !names.add(c.name())) {
                throw Problems.invalid(where + ".name is required, distinct, and must match " + Names.NAME.pattern()
                        + ".");
            }
            List<String> benign = c.benign() == null ? List.of() : c.benign();
            if (c.prompts() == null || c.prompts().isEmpty()) {
                throw Problems.invalid(where + ".prompts must be a non-empty array.");
            }
            if (c.prompts().size() > limits.maxPolicyPrompts() || benign.size() > limits.maxPolicyPrompts()) {
                throw Problems.tooLarge(where + ": at most " + limits.maxPolicyPrompts() + " prompts and "
                        + limits.maxPolicyPrompts() + " benign prompts.");
            }
            if (c.threshold() == null || !(c.threshold() >= -1 && c.threshold() <= 1)) {
                throw Problems.invalid(where + ".threshold is required: a number from -1 to 1 (a cosine similarity"
                        + " without benign prompts, a probability from 0 to 1 with them).");
            }
            if (!"flag".equals(c.action()) && !"reject".equals(c.action())) {
                throw Problems.invalid(where + ".action must be flag or reject.");
            }
            for (String p : c.prompts()) {
                prompts.add(Input.text(p));
            }
            for (String p : benign) {
                prompts.add(Input.text(p));
            }
            stored.add(new JsonObject().put("name", c.name()).put("prompts", c.prompts()).put("benign", benign)
                    .put("threshold", c.threshold()).put("action", c.action()));
        }
        return embed.model(req.model()).flatMap(model -> embedder.embedAll(prompts, limits.maxEmbeddingInputs(),
                limits.maxImages(), i -> "prompt " + i, model.id()).map(vectors -> {
                    JsonArray nested = new JsonArray();
                    int k = 0;
                    for (CategoryInput c : categories) {
                        JsonArray v = new JsonArray();
                        int n = c.prompts().size() + (c.benign() == null ? 0 : c.benign().size());
                        for (int j = 0; j < n; j++) {
                            v.add(floats(vectors.get(k++)));
                        }
                        nested.add(v);
                    }
                    return new JsonObject().put("model", model.id()).put("categories", stored)
                            .put("prompt_vectors", nested);
                }))
                .flatMap(body -> retrieval.savePolicy(tenant, name, body))
                .map(r -> new BackendReply(r.status(), view(r.json())));
    }

    public Uni<JsonObject> list(String tenant) {
        return retrieval.policies(tenant).map(list -> {
            JsonArray out = new JsonArray();
            list.getJsonArray("policies").forEach(p -> out.add(view((JsonObject) p)));
            return new JsonObject().put("policies", out);
        });
    }

    public Uni<JsonObject> get(String tenant, String name) {
        checkName(name);
        return retrieval.policy(tenant, name, false).map(ModerationService::view);
    }

    public Uni<Void> delete(String tenant, String name) {
        checkName(name);
        return retrieval.deletePolicy(tenant, name);
    }

    /** The policy with its vectors, judged with its model's logit scale; the model must still be served. */
    public Uni<PolicyVectors> load(String tenant, String name) {
        return retrieval.policy(tenant, name, true).flatMap(p -> embed.models().map(served -> {
            String model = p.getString("model");
            ModelInfo info = served.stream().filter(m -> m.id().equals(model)).findFirst().orElseThrow(() ->
                    new ProblemException(CommonProblem.CONFLICT, "Moderation policy " + name + " was saved with the"
                            + " model " + model + ", which is not served here; save it again with a served one."));
            return PolicyVectors.of(p, info.logitScale());
        }));
    }

    /** {@code POST /v1/moderate}: the input embedded with the policy's model and judged. */
    public Uni<Map<String, Object>> moderate(String tenant, Moderate req) {
        if (req.policy() == null) {
            throw Problems.invalid("policy is required.");
        }
        checkName(req.policy());
        if ((req.image() == null) == (req.text() == null)) {
            throw Problems.invalid("Give exactly one of image and text.");
        }
        Input input = req.image() != null ? new Input(null, req.image()) : Input.text(req.text());
        return load(tenant, req.policy()).flatMap(p -> embedder.embedAll(List.of(input), 1, 1,
                i -> req.image() != null ? "image" : "text", p.model()).map(v -> {
                    Verdict verdict = p.judge(v.get(0));
                    count("request", verdict);
                    return verdictView(p, verdict);
                }));
    }

    /**
     * The verdicts on items about to be stored in a collection that names the policy: judged on their vectors when
     * the collection's model is the policy's, else on the inputs embedded again with the policy's model.
     */
    public Uni<List<Verdict>> judge(String tenant, String policy, String collectionModel, List<Input> inputs,
            List<float[]> vectors) {
        return load(tenant, policy).flatMap(p -> {
            Uni<List<float[]>> own = p.model().equals(collectionModel) ? Uni.createFrom().item(vectors)
                    : embedder.embedAll(inputs, limits.maxEmbeddingInputs(), limits.maxImages(), i -> "items[" + i
                            + "]", p.model());
            return own.map(v -> {
                List<Verdict> verdicts = v.stream().map(p::judge).toList();
                verdicts.forEach(verdict -> count("ingest", verdict));
                return verdicts;
            });
        });
    }

    /** {@code sightline_gateway_moderation_verdicts_total{at, action}}: no tenant or policy names in the tags. */
    private void count(String at, Verdict v) {
        meters.counter("sightline.gateway.moderation.verdicts", "at", at, "action", v.action()).increment();
    }

    /** The refusal of a request holding an item the policy rejects. */
    public static ProblemException rejected(String policy, String where, String id, PolicyVectors.Score s) {
        return new ProblemException(GatewayProblem.MODERATION_REJECTED, where + " (id \"" + id + "\") is rejected by"
                + " policy " + policy + ": " + s.name() + " scored " + round(s.score()) + " (threshold "
                + s.threshold() + ").");
    }

    /** The verdict as stored in an item's metadata, under {@code moderation}. */
    public static JsonObject stamp(String policy, Verdict v) {
        return new JsonObject().put("policy", policy).put("action", v.action()).put("categories", v.fired());
    }

    /** Chooses each category's threshold for the target from labelled examples, and stores them (unless dry_run). */
    public Uni<Map<String, Object>> calibrate(String tenant, String name, Calibrate req) {
        checkName(name);
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
                if (req.collection() == null) {
                    throw Problems.invalid(where + " names an item: give collection, the items' collection.");
                }
                itemsAt.add(i);
            } else {
                inputs.add(new Input(e.text(), e.image()));
                embeddedAt.add(i);
            }
        }
        return load(tenant, name).flatMap(p -> {
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
                reads.add(retrieval.item(tenant, collection, examples.get(i).itemId(), true)
                        .map(item -> Embeddings.toFloats(item.getJsonArray("vector"))));
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
        // The stored policy with the new thresholds, its prompt vectors as they are.
        return retrieval.policy(tenant, name, true).flatMap(stored -> {
            JsonArray categories = stored.getJsonArray("categories");
            for (int i = 0; i < categories.size(); i++) {
                JsonObject c = categories.getJsonObject(i);
                Double t = chosen.get(c.getString("name"));
                if (t != null) {
                    c.put("threshold", t);
                }
            }
            return retrieval.savePolicy(tenant, name, new JsonObject().put("model", stored.getString("model"))
                    .put("categories", categories).put("prompt_vectors", stored.getJsonArray("prompt_vectors")));
        }).map(saved -> answer);
    }

    private static Map<String, Object> verdictView(PolicyVectors p, Verdict v) {
        Map<String, Object> out = new LinkedHashMap<>();
        out.put("policy", p.name());
        out.put("model", p.model());
        out.put("action", v.action());
        out.put("categories", v.categories());
        return out;
    }

    private static void checkName(String name) {
        if (!Names.isName(name)) {
            throw Problems.invalid("Policy names must match " + Names.NAME.pattern() + ".");
        }
    }

    private static double round(double x) {
        return Math.round(x * 10000) / 10000.0;
    }

    private static JsonArray floats(float[] v) {
        JsonArray a = new JsonArray();
        for (float x : v) {
            a.add(x);
        }
        return a;
    }

    /** A stored policy as the public API shows it: no vectors. */
    private static JsonObject view(JsonObject stored) {
        return new JsonObject().put("name", stored.getString("name")).put("model", stored.getString("model"))
                .put("categories", stored.getJsonArray("categories")).put("created_at", stored.getString("created_at"))
                .put("updated_at", stored.getString("updated_at"));
    }
}
