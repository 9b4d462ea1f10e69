package dev.sightline.gateway.api;

import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.PropertyNamingStrategies;
import com.fasterxml.jackson.databind.exc.UnrecognizedPropertyException;
import dev.sightline.common.problem.Problem;
import dev.sightline.gateway.ErrorCode;
import dev.sightline.gateway.GatewayException;
import dev.sightline.gateway.client.DownstreamProblem;
import io.smallrye.mutiny.Uni;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.RoutingContext;
import java.io.IOException;
import java.util.function.Function;
import org.jboss.logging.Logger;

/** Reading requests and writing answers and problems on the event loop. */
final class Http {

    private static final Logger LOG = Logger.getLogger(Http.class);
    /** Strict snake_case mapping of request records: unknown fields are errors. */
    static final ObjectMapper STRICT = new ObjectMapper().setPropertyNamingStrategy(PropertyNamingStrategies.SNAKE_CASE)
            .configure(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES, true)
            .findAndRegisterModules();
    /** Lenient mapping for OpenAI-compatible bodies, whose clients add fields of their own. */
    static final ObjectMapper LENIENT = STRICT.copy().configure(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES, false);
    static final ObjectMapper OUT = new ObjectMapper().findAndRegisterModules();

    private Http() {
    }

    /** An answer to write. */
    record Reply(int status, Object body) {
        static Reply ok(Object body) {
            return new Reply(200, body);
        }
    }

    /** Runs a handler and writes its answer, or the problem its failure maps to. */
    static void handle(RoutingContext rc, Function<RoutingContext, Uni<Reply>> handler) {
        Uni<Reply> reply;
        try {
            reply = handler.apply(rc);
        } catch (RuntimeException e) {
            fail(rc, e);
            return;
        }
        reply.subscribe().with(r -> send(rc, r), e -> fail(rc, e));
    }

    static void send(RoutingContext rc, Reply r) {
        if (rc.response().ended()) {
            return;
        }
        if (r.body() == null) {
            rc.response().setStatusCode(r.status()).end();
            return;
        }
        Buffer json = r.body() instanceof JsonObject o ? o.toBuffer() : Buffer.buffer(write(r.body()));
        rc.response().setStatusCode(r.status()).putHeader("Content-Type", "application/json").end(json);
    }

    static void fail(RoutingContext rc, Throwable e) {
        if (rc.response().ended()) {
            return;
        }
        if (e instanceof DownstreamProblem p) {
            // A backend's client error is already a safe problem+json answer: pass it on unchanged.
            rc.response().setStatusCode(p.status()).putHeader("Content-Type", Problem.MEDIA_TYPE);
            if (p.retryAfter() != null) {
                rc.response().putHeader("Retry-After", p.retryAfter());
            }
            rc.response().end(p.body() == null ? Buffer.buffer() : p.body());
            return;
        }
        GatewayException g = e instanceof GatewayException ge ? ge : null;
        if (g == null) {
            LOG.errorf(e, "unexpected error on %s %s", rc.request().method(), rc.request().path());
            g = new GatewayException(ErrorCode.INTERNAL, "The request could not be processed.");
        }
        problem(rc, g);
    }

    static void problem(RoutingContext rc, GatewayException g) {
        ErrorCode c = g.code();
        Problem p = c.problem(g.getMessage());
        rc.response().setStatusCode(c.status()).putHeader("Content-Type", Problem.MEDIA_TYPE);
        if (g.retryAfterSeconds() != null) {
            rc.response().putHeader("Retry-After", Long.toString(g.retryAfterSeconds()));
        }
        if (c == ErrorCode.UNAUTHORIZED) {
            rc.response().putHeader("WWW-Authenticate", "Bearer");
        }
        rc.response().end(write(p));
    }

    /** Parses the JSON body into a request record; malformed JSON, unknown fields or wrong types are a 400. */
    static <T> T body(RoutingContext rc, Class<T> type, ObjectMapper mapper) {
        String ct = rc.request().getHeader("Content-Type");
        if (ct == null || !ct.toLowerCase().startsWith("application/json")) {
            throw new GatewayException(ErrorCode.UNSUPPORTED_MEDIA_TYPE, "Send application/json.");
        }
        if (rc.body() == null || rc.body().buffer() == null || rc.body().length() == 0) {
            throw new GatewayException(ErrorCode.INVALID_REQUEST, "The request body is empty.");
        }
        try {
            T value = mapper.readValue(rc.body().buffer().getBytes(), type);
            if (value == null) {
                throw new GatewayException(ErrorCode.INVALID_REQUEST, "The request body must be a JSON object.");
            }
            return value;
        } catch (UnrecognizedPropertyException e) {
            throw new GatewayException(ErrorCode.INVALID_REQUEST, "Unknown field '" + e.getPropertyName() + "'.");
        } catch (com.fasterxml.jackson.databind.JsonMappingException e) {
            String path = e.getPath().stream().map(r -> r.getFieldName() != null ? r.getFieldName() : "[" + r.getIndex() + "]")
                    .reduce((a, b) -> b.startsWith("[") ? a + b : a + "." + b).orElse("");
            throw new GatewayException(ErrorCode.INVALID_REQUEST,
                    path.isEmpty() ? "The request body is not valid JSON." : "Invalid value at '" + path + "'.");
        } catch (IOException e) {
            throw new GatewayException(ErrorCode.INVALID_REQUEST, "The request body is not valid JSON.");
        }
    }

    static GatewayException invalid(String detail) {
        return new GatewayException(ErrorCode.INVALID_REQUEST, detail);
    }

    static String write(Object o) {
        try {
            return OUT.writeValueAsString(o);
        } catch (IOException e) {
            throw new IllegalStateException(e);
        }
    }

    static JsonObject json(Object o) {
        return new JsonObject(write(o));
    }
}
