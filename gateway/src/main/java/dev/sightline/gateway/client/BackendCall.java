package dev.sightline.gateway.client;

import dev.sightline.common.internal.InternalToken;
import dev.sightline.common.naming.Names;
import dev.sightline.common.problem.CommonProblem;
import dev.sightline.common.problem.ProblemException;
import dev.sightline.gateway.config.GatewayConfig;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import io.smallrye.mutiny.Uni;
import io.vertx.core.http.HttpMethod;
import io.vertx.core.json.JsonObject;
import io.vertx.mutiny.core.buffer.Buffer;
import io.vertx.mutiny.ext.web.client.HttpRequest;
import io.vertx.mutiny.ext.web.client.HttpResponse;
import io.vertx.mutiny.ext.web.client.WebClient;
import java.net.ConnectException;
import java.time.Duration;
import java.util.Map;
import java.util.function.Function;
import org.jboss.logging.Logger;

/**
 * The resilience policy of one backend: a timeout per call, retries only where they cannot do harm, and a circuit
 * breaker that counts infrastructure failures only — a connection refused, no answer in time, a 502/503/504 —
 * never a 4xx or a 500 that one request's content caused, so that one tenant's bad input cannot make the gateway
 * answer 503 to everybody. Used only by the typed clients.
 */
final class BackendCall {

    private static final Logger LOG = Logger.getLogger(BackendCall.class);

    /** What a call does to the backend's state, which decides when it may be repeated. */
    enum Effect {
        /** Reads, searches, embeddings: repeated after any infrastructure failure. */
        READ,
        /**
         * Creates, replaces, deletes: repeated only when the request provably never reached the backend (the
         * connection was refused); otherwise the outcome is unknown and the caller is told so.
         */
        WRITE
    }

    /** The connection was refused: nothing was sent, any call may be repeated. */
    private static final class NotSent extends RuntimeException {
        NotSent(String message) {
            super(message, null, false, false);
        }
    }

    /** Sent, but no usable answer (timeout, reset, 502/503/504): only a read may be repeated. */
    private static final class Unanswered extends RuntimeException {
        Unanswered(String message) {
            super(message, null, false, false);
        }
    }

    private final String name;
    private final WebClient client;
    private final String base;
    private final GatewayConfig.Backend config;
    private final CircuitBreaker breaker;
    private final String credential;
    private final Counter notSent;
    private final Counter unanswered;

    BackendCall(String name, WebClient client, GatewayConfig.Backend config, InternalToken token, MeterRegistry meters) {
        this.name = name;
        this.client = client;
        this.credential = token.authorization();
        this.base = config.url().replaceAll("/+$", "");
        this.config = config;
        this.breaker = new CircuitBreaker(config.breakerFailures(), config.breakerOpen(), System::nanoTime);
        Gauge.builder("sightline.gateway.backend.breaker.state", breaker, b -> b.state().ordinal())
                .description("Circuit breaker of a backend: 0 closed, 1 open, 2 half-open")
                .tag("backend", name).register(meters);
        this.notSent = Counter.builder("sightline.gateway.backend.failures").tag("backend", name)
                .tag("kind", "not-sent").description("Calls whose connection was refused").register(meters);
        this.unanswered = Counter.builder("sightline.gateway.backend.failures").tag("backend", name)
                .tag("kind", "unanswered").description("Calls without a usable answer (timeout, reset, 502-504)")
                .register(meters);
    }

    /**
     * Calls the backend: its 2xx answer, a {@link BackendProblem} for a 4xx (passed on to the client as is), or a
     * {@link ProblemException}: 503 when the backend is unavailable (for a write whose fate is unknown, saying so),
     * 500 without detail when the backend failed on this request.
     */
    Uni<BackendReply> call(HttpMethod method, String path, String tenant, JsonObject body, Effect effect) {
        return call(method, path, tenant, body == null ? HttpRequest::send : req -> req.sendJsonObject(body),
                config.timeout(), effect);
    }

    /**
     * {@link #call(HttpMethod, String, String, JsonObject, Effect)} with a body of another media type (a bulk
     * write's NDJSON) and a timeout of its own; the policy is the same, so a 4xx answer stays the caller's problem.
     */
    Uni<BackendReply> call(HttpMethod method, String path, String tenant, io.vertx.core.buffer.Buffer body,
            String contentType, Duration timeout, Effect effect) {
        Buffer payload = Buffer.newInstance(body);
        return call(method, path, tenant, req -> req.putHeader("Content-Type", contentType).sendBuffer(payload),
                timeout, effect);
    }

    /**
     * A GET whose 2xx or 304 answer is bytes of any type (kept media), with the given request headers; errors as
     * {@link #call(HttpMethod, String, String, JsonObject, Effect)}.
     */
    Uni<BackendBytes> fetch(String path, String tenant, Map<String, String> headers) {
        return call(HttpMethod.GET, path, tenant, req -> {
            headers.forEach(req::putHeader);
            return req.send();
        }, config.timeout(), Effect.READ, resp -> {
            checked(resp);
            Buffer body = resp.bodyAsBuffer();
            return new BackendBytes(resp.statusCode(), body == null ? new byte[0] : body.getBytes(),
                    resp.getHeader("Content-Type"), resp.getHeader("ETag"), resp.getHeader("Cache-Control"));
        });
    }

    private Uni<BackendReply> call(HttpMethod method, String path, String tenant,
            Function<HttpRequest<Buffer>, Uni<HttpResponse<Buffer>>> send, Duration timeout, Effect effect) {
        return call(method, path, tenant, send, timeout, effect, this::reply);
    }

    private <T> Uni<T> call(HttpMethod method, String path, String tenant,
            Function<HttpRequest<Buffer>, Uni<HttpResponse<Buffer>>> send, Duration timeout, Effect effect,
            Function<HttpResponse<Buffer>, T> answer) {
        Uni<HttpResponse<Buffer>> once = Uni.createFrom().deferred(() -> attempt(method, path, tenant, send, timeout));
        Uni<HttpResponse<Buffer>> retried = config.retries() == 0 ? once
                : once.onFailure(e -> e instanceof NotSent || (effect == Effect.READ && e instanceof Unanswered))
                        .retry().withBackOff(config.retryBackoff()).atMost(config.retries());
        return retried
                .onFailure(NotSent.class).transform(e -> unavailable("is unavailable; retry later.", 1L))
                .onFailure(Unanswered.class).transform(e -> effect == Effect.READ
                        ? unavailable("is unavailable; retry later.", 1L)
                        : unavailable("did not answer: the change may or may not have been made. Repeating the same "
                                + "request is safe.", 1L))
                .map(answer);
    }

    private BackendReply reply(HttpResponse<Buffer> resp) {
        int status = checked(resp);
        return new BackendReply(status, status == 204 || resp.bodyAsBuffer() == null ? null : resp.bodyAsJsonObject());
    }

    /** The answer's status when it is a success (2xx, 3xx); otherwise the problem to raise. */
    private int checked(HttpResponse<Buffer> resp) {
        int status = resp.statusCode();
        if (status >= 500) {
            // The backend answered, so it is up: this request failed there. Nothing of it reaches the client.
            LOG.errorf("%s answered %d", name, status);
            throw new ProblemException(CommonProblem.INTERNAL, "internal error in " + name);
        }
        if (status == 401 || status == 403) {
            // The backend refused the gateway itself (internal tokens differ): a platform fault, not the client's.
            LOG.errorf("%s refused the internal token (%d): the gateway and %s must hold the same "
                    + "sightline.internal.token", name, status, name);
            throw new ProblemException(CommonProblem.INTERNAL, "internal token refused by " + name);
        }
        if (status >= 400) {
            throw new BackendProblem(status, resp.bodyAsBuffer() == null ? null : resp.bodyAsBuffer().getDelegate(),
                    resp.getHeader("Retry-After"));
        }
        return status;
    }

    private ProblemException unavailable(String what, long retryAfter) {
        return new ProblemException(CommonProblem.UNAVAILABLE, "The " + name + " backend " + what, retryAfter);
    }

    private Uni<HttpResponse<Buffer>> attempt(HttpMethod method, String path, String tenant,
            Function<HttpRequest<Buffer>, Uni<HttpResponse<Buffer>>> send, Duration timeout) {
        if (!breaker.allow()) {
            return Uni.createFrom().failure(unavailable("is unavailable; retry later.", breaker.retryAfterSeconds()));
        }
        HttpRequest<Buffer> req = client.requestAbs(method, base + path).timeout(timeout.toMillis())
                .putHeader("Authorization", credential);
        if (tenant != null) {
            req.putHeader(Names.TENANT_HEADER, tenant);
        }
        return send.apply(req).onItemOrFailure().transformToUni((resp, failure) -> {
            if (failure != null) {
                breaker.failure();
                LOG.debugf("%s %s %s failed: %s", name, method, path, failure.toString());
                if (failure instanceof ConnectException) {
                    notSent.increment();
                    return Uni.createFrom().failure(new NotSent(failure.toString()));
                }
                unanswered.increment();
                return Uni.createFrom().failure(new Unanswered(failure.toString()));
            }
            int status = resp.statusCode();
            if (status == 502 || status == 503 || status == 504) {
                breaker.failure();
                unanswered.increment();
                LOG.warnf("%s %s %s answered %d", name, method, path, status);
                return Uni.createFrom().failure(new Unanswered(name + " answered " + status));
            }
            breaker.success();
            return Uni.createFrom().item(resp);
        });
    }
}
