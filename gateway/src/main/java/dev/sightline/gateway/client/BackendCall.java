package dev.sightline.gateway.client;

import dev.sightline.common.internal.InternalToken;
import dev.sightline.common.naming.Names;
import dev.sightline.common.problem.CommonProblem;
import dev.sightline.common.problem.ProblemException;
import dev.sightline.gateway.config.GatewayConfig;
import io.smallrye.mutiny.Uni;
import io.vertx.core.http.HttpMethod;
import io.vertx.core.json.JsonObject;
import io.vertx.mutiny.core.buffer.Buffer;
import io.vertx.mutiny.ext.web.client.HttpRequest;
import io.vertx.mutiny.ext.web.client.HttpResponse;
import io.vertx.mutiny.ext.web.client.WebClient;
import org.jboss.logging.Logger;

/**
 * The resilience policy of one backend: a timeout per call, bounded retries for idempotent calls only, and a
 * circuit breaker so that a dead backend is answered with a fast 503. Used only by the typed clients.
 */
final class BackendCall {

    private static final Logger LOG = Logger.getLogger(BackendCall.class);

    private final String name;
    private final WebClient client;
    private final String base;
    private final GatewayConfig.Backend config;
    private final CircuitBreaker breaker;
    private final String credential;

    BackendCall(String name, WebClient client, GatewayConfig.Backend config, InternalToken token) {
        this.name = name;
        this.client = client;
        this.credential = token.authorization();
        this.base = config.url().replaceAll("/+$", "");
        this.config = config;
        this.breaker = new CircuitBreaker(config.breakerFailures(), config.breakerOpen(), System::nanoTime);
    }

    /** The backend failed (connection, timeout or 5xx): worth a retry when the call is idempotent. */
    private static final class BackendFailure extends RuntimeException {
        BackendFailure(String message) {
            super(message, null, false, false);
        }
    }

    /**
     * Calls the backend: its 2xx answer, a {@link BackendProblem} for a 4xx, or a 503 {@link ProblemException}
     * when the backend is unavailable.
     */
    Uni<BackendReply> call(HttpMethod method, String path, String tenant, JsonObject body, boolean idempotent) {
        Uni<HttpResponse<Buffer>> once = Uni.createFrom().deferred(() -> attempt(method, path, tenant, body));
        Uni<HttpResponse<Buffer>> withRetries = idempotent && config.retries() > 0
                ? once.onFailure(BackendFailure.class).retry().withBackOff(config.retryBackoff())
                        .atMost(config.retries())
                : once;
        return withRetries
                .onFailure(BackendFailure.class).transform(e -> unavailable(1L))
                .map(resp -> {
                    int status = resp.statusCode();
                    if (status >= 400) {
                        throw new BackendProblem(status, resp.bodyAsBuffer() == null ? null
                                : resp.bodyAsBuffer().getDelegate(), resp.getHeader("Retry-After"));
                    }
                    return new BackendReply(status,
                            status == 204 || resp.bodyAsBuffer() == null ? null : resp.bodyAsJsonObject());
                });
    }

    private ProblemException unavailable(long retryAfter) {
        return new ProblemException(CommonProblem.UNAVAILABLE, "The " + name + " backend is unavailable; retry later.",
                retryAfter);
    }

    private Uni<HttpResponse<Buffer>> attempt(HttpMethod method, String path, String tenant, JsonObject body) {
        if (!breaker.allow()) {
            return Uni.createFrom().failure(unavailable(breaker.retryAfterSeconds()));
        }
        HttpRequest<Buffer> req = client.requestAbs(method, base + path).timeout(config.timeout().toMillis())
                .putHeader("Authorization", credential);
        if (tenant != null) {
            req.putHeader(Names.TENANT_HEADER, tenant);
        }
        Uni<HttpResponse<Buffer>> sent = body == null ? req.send() : req.sendJsonObject(body);
        return sent.onItemOrFailure().transformToUni((resp, failure) -> {
            if (failure != null) {
                breaker.failure();
                LOG.debugf("%s %s %s failed: %s", name, method, path, failure.toString());
                return Uni.createFrom().failure(new BackendFailure(failure.toString()));
            }
            if (resp.statusCode() >= 500) {
                breaker.failure();
                LOG.warnf("%s %s %s answered %d", name, method, path, resp.statusCode());
                return Uni.createFrom().failure(new BackendFailure(name + " answered " + resp.statusCode()));
            }
            breaker.success();
            return Uni.createFrom().item(resp);
        });
    }
}
