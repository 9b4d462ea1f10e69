package dev.sightline.gateway.service;

import dev.sightline.common.problem.CommonProblem;
import dev.sightline.common.problem.ProblemException;
import dev.sightline.gateway.GatewayProblem;
import dev.sightline.gateway.config.GatewayConfig;
import dev.sightline.gateway.moderation.PolicyVectors;
import dev.sightline.gateway.moderation.PolicyVectors.Verdict;
import io.smallrye.mutiny.Uni;
import io.smallrye.mutiny.infrastructure.Infrastructure;
import io.vertx.core.json.JsonObject;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Executor;
import java.util.function.IntFunction;

/**
 * A collection's moderation policy applied to the items of a write (JSON, multipart or bulk): every item judged, a
 * request holding a rejected item refused whole (naming the first), every other item's verdict stamped into its
 * metadata under {@code moderation}.
 */
@ApplicationScoped
public class IngestModeration {

    /** One item to judge: its input (null for a given vector, which only the policy's own model can judge). */
    public record Judged(String id, Input input, float[] vector) {
    }

    private final ModerationService policies;
    private final Embedder embedder;
    private final GatewayConfig.Limits limits;
    private final Executor worker;

    @Inject
    public IngestModeration(ModerationService policies, Embedder embedder, GatewayConfig config) {
        // Judging a thousand items against hundreds of prompt vectors is CPU work: not on the event loop.
        this(policies, embedder, config, Infrastructure.getDefaultWorkerPool());
    }

    IngestModeration(ModerationService policies, Embedder embedder, GatewayConfig config, Executor worker) {
        this.policies = policies;
        this.embedder = embedder;
        this.limits = config.limits();
        this.worker = worker;
    }

    /**
     * The policy's verdicts on the items, in order; the request is refused (422) when one is rejected. The items'
     * vectors are judged when the collection's model is the policy's; otherwise their inputs are embedded again
     * with the policy's model (a given vector cannot be: 409).
     *
     * @param where how the client names item i ("items[3]", "line 4")
     */
    public Uni<List<Verdict>> judge(String tenant, String policy, String collectionModel, List<Judged> items,
            IntFunction<String> where) {
        return policies.load(tenant, policy).flatMap(p -> vectorsFor(p, collectionModel, items, where))
                .emitOn(worker)
                .map(pv -> {
                    PolicyVectors p = pv.policy();
                    List<Verdict> verdicts = new ArrayList<>(items.size());
                    for (int i = 0; i < items.size(); i++) {
                        Verdict v = p.judge(pv.vectors().get(i));
                        PolicyVectors.Score rejecting = v.rejecting();
                        if (rejecting != null) {
                            policies.count("ingest", v);
                            throw rejected(policy, where.apply(i), items.get(i).id(), rejecting);
                        }
                        verdicts.add(v);
                    }
                    verdicts.forEach(v -> policies.count("ingest", v));
                    return verdicts;
                });
    }

    private record PolicyAndVectors(PolicyVectors policy, List<float[]> vectors) {
    }

    private Uni<PolicyAndVectors> vectorsFor(PolicyVectors p, String collectionModel, List<Judged> items,
            IntFunction<String> where) {
        if (p.model().equals(collectionModel)) {
            return Uni.createFrom().item(new PolicyAndVectors(p, items.stream().map(Judged::vector).toList()));
        }
        List<Input> inputs = new ArrayList<>(items.size());
        for (int i = 0; i < items.size(); i++) {
            if (items.get(i).input() == null) {
                throw new ProblemException(CommonProblem.CONFLICT, where.apply(i) + ": moderation policy " + p.name()
                        + " judges vectors of " + p.model() + ", and the collection holds " + collectionModel
                        + "; send texts and images, not vectors.");
            }
            inputs.add(items.get(i).input());
        }
        return embedder.embedAll(inputs, limits.maxEmbeddingInputs(), limits.maxImages(), where, p.model())
                .map(v -> new PolicyAndVectors(p, v));
    }

    /** The refusal of a request holding an item the policy rejects. */
    static ProblemException rejected(String policy, String where, String id, PolicyVectors.Score s) {
        return new ProblemException(GatewayProblem.MODERATION_REJECTED, where + " (id \"" + id + "\") is rejected by"
                + " policy " + policy + ": " + s.name() + " scored " + Math.round(s.score() * 10000) / 10000.0
                + " (threshold " + s.threshold() + ").");
    }

    /** The verdict as stored in an item's metadata, under {@code moderation}. */
    public static JsonObject stamp(String policy, Verdict v) {
        return new JsonObject().put("policy", policy).put("action", v.action()).put("categories", v.fired());
    }
}
