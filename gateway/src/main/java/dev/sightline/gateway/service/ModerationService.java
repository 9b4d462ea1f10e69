package dev.sightline.gateway.service;

import dev.sightline.common.naming.Names;
import dev.sightline.common.problem.CommonProblem;
import dev.sightline.common.problem.ProblemException;
import dev.sightline.gateway.client.BackendReply;
import dev.sightline.gateway.client.EmbedClient;
import dev.sightline.gateway.client.ModelInfo;
import dev.sightline.gateway.client.RetrievalClient;
import dev.sightline.gateway.config.GatewayConfig;
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
 * Moderation policies: saved with their prompt vectors computed once (with the policy's model), loaded for judging,
 * and applied to an image or a text on request. Ingest applies them through {@link IngestModeration}; calibration is
 * {@link Calibrator}'s.
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
            checkPrompts(c.prompts(), where + ".prompts");
            checkPrompts(benign, where + ".benign");
            c.prompts().forEach(p -> prompts.add(Input.text(p)));
            benign.forEach(p -> prompts.add(Input.text(p)));
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

    /** {@code sightline_gateway_moderation_verdicts_total{at, action}}: no tenant or policy names in the tags. */
    void count(String at, Verdict v) {
        meters.counter("sightline.gateway.moderation.verdicts", "at", at, "action", v.action()).increment();
    }

    private static Map<String, Object> verdictView(PolicyVectors p, Verdict v) {
        Map<String, Object> out = new LinkedHashMap<>();
        out.put("policy", p.name());
        out.put("model", p.model());
        out.put("action", v.action());
        out.put("categories", v.categories());
        return out;
    }

    /** The longest prompt, in characters (a prompt is a sentence; CLIP reads 77 tokens of it). */
    static final int MAX_PROMPT_CHARS = 1000;

    private static void checkPrompts(List<String> prompts, String where) {
        for (int k = 0; k < prompts.size(); k++) {
            String p = prompts.get(k);
            if (p == null || p.isBlank() || p.length() > MAX_PROMPT_CHARS) {
                throw Problems.invalid(where + "[" + k + "] must be a text of 1 to " + MAX_PROMPT_CHARS
                        + " characters.");
            }
        }
    }

    static void checkName(String name) {
        if (!Names.isName(name)) {
            throw Problems.invalid("Policy names must match " + Names.NAME.pattern() + ".");
        }
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
