package dev.sightline.gateway.api;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.PropertyNamingStrategies;
import com.fasterxml.jackson.databind.cfg.CoercionAction;
import com.fasterxml.jackson.databind.cfg.CoercionInputShape;
import com.fasterxml.jackson.databind.type.LogicalType;
import com.fasterxml.jackson.databind.exc.UnrecognizedPropertyException;
import dev.sightline.common.problem.CommonProblem;
import dev.sightline.common.problem.JsonErrors;
import dev.sightline.common.problem.Problem;
import dev.sightline.common.problem.ProblemException;
import dev.sightline.common.text.StorableText;
import dev.sightline.gateway.client.BackendBytes;
import dev.sightline.gateway.client.BackendProblem;
import dev.sightline.gateway.client.BackendReply;
import io.smallrye.mutiny.Uni;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpServerResponse;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.RoutingContext;
import java.io.IOException;
import java.util.function.Consumer;
import java.util.function.Supplier;
import org.jboss.logging.Logger;

/** Reading requests and writing answers and problems on the event loop: the HTTP edge of every handler. */
final class Http {

    private static final Logger LOG = Logger.getLogger(Http.class);
    /** Strict snake_case mapping of request records: unknown fields are errors. */
    static final ObjectMapper STRICT = strict(new ObjectMapper().setPropertyNamingStrategy(
            PropertyNamingStrategies.SNAKE_CASE).configure(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES, true)
            .findAndRegisterModules());
    /** Lenient mapping for OpenAI-compatible bodies, whose clients add fields of their own. */
    static final ObjectMapper LENIENT = STRICT.copy().configure(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES, false);
    private static final ObjectMapper OUT = new ObjectMapper().findAndRegisterModules();
    /** The media type of bulk bodies: one JSON object per line. */
    static final String NDJSON = "application/x-ndjson";

    private Http() {
    }

    /** Values only as their declared JSON type: no "128" for a number, no 5 for a text, no 1.5 for an integer. */
    private static ObjectMapper strict(ObjectMapper m) {
        for (LogicalType t : new LogicalType[] {LogicalType.Integer, LogicalType.Float, LogicalType.Boolean}) {
            m.coercionConfigFor(t).setCoercion(CoercionInputShape.String, CoercionAction.Fail);
        }
        m.coercionConfigFor(LogicalType.Integer).setCoercion(CoercionInputShape.Float, CoercionAction.Fail);
        for (CoercionInputShape s : new CoercionInputShape[] {CoercionInputShape.Integer, CoercionInputShape.Float,
                CoercionInputShape.Boolean}) {
            m.coercionConfigFor(LogicalType.Textual).setCoercion(s, CoercionAction.Fail);
        }
        return m;
    }

    /** Answers 200 with the call's result as JSON. */
    static <T> void ok(RoutingContext rc, Supplier<Uni<T>> call) {
        run(rc, call, value -> send(rc, 200, value));
    }

    /** Answers with the status and body the backend gave (201 for a creation, 200 for a replacement). */
    static void relay(RoutingContext rc, Supplier<Uni<BackendReply>> call) {
        run(rc, call, r -> send(rc, r.status(), r.json()));
    }

    /**
     * Answers with bytes the backend gave (kept media): 200 with them, or 304 without, and their type, entity tag
     * and caching rule.
     */
    static void bytes(RoutingContext rc, Supplier<Uni<BackendBytes>> call) {
        run(rc, call, b -> {
            if (rc.response().ended()) {
                return;
            }
            HttpServerResponse resp = rc.response().setStatusCode(b.status());
            if (b.etag() != null) {
                resp.putHeader("ETag", b.etag());
            }
            if (b.cacheControl() != null) {
                resp.putHeader("Cache-Control", b.cacheControl());
            }
            if (b.status() == 304) {
                resp.end();
            } else {
                // The stored type came from the bytes' own signature; never let a browser guess another.
                resp.putHeader("Content-Type", b.contentType()).putHeader("X-Content-Type-Options", "nosniff")
                        .end(Buffer.buffer(b.body()));
            }
        });
    }

    /** Answers 204. */
    static void noContent(RoutingContext rc, Supplier<Uni<Void>> call) {
        run(rc, call, nothing -> send(rc, 204, null));
    }

    private static <T> void run(RoutingContext rc, Supplier<Uni<T>> call, Consumer<T> write) {
        Uni<T> result;
        try {
            result = call.get();
        } catch (RuntimeException e) {
            fail(rc, e);
            return;
        }
        result.subscribe().with(write, e -> fail(rc, e));
    }

    private static void send(RoutingContext rc, int status, Object body) {
        if (rc.response().ended()) {
            return;
        }
        if (body == null) {
            rc.response().setStatusCode(status).end();
            return;
        }
        Buffer json = body instanceof JsonObject o ? o.toBuffer() : Buffer.buffer(write(body));
        rc.response().setStatusCode(status).putHeader("Content-Type", "application/json").end(json);
    }

    /** Writes the problem a failure maps to: a backend's own 4xx as is, ours by code, anything else as a 500. */
    static void fail(RoutingContext rc, Throwable e) {
        if (rc.response().ended()) {
            return;
        }
        if (e instanceof BackendProblem p) {
            rc.response().setStatusCode(p.status()).putHeader("Content-Type", Problem.MEDIA_TYPE);
            if (p.retryAfter() != null) {
                rc.response().putHeader("Retry-After", p.retryAfter());
            }
            rc.response().end(p.body() == null ? Buffer.buffer() : p.body());
            return;
        }
        ProblemException problem = e instanceof ProblemException pe ? pe : null;
        if (problem == null) {
            LOG.errorf(e, "unexpected error on %s %s", rc.request().method(), rc.request().path());
            problem = new ProblemException(CommonProblem.INTERNAL, "The request could not be processed.");
        }
        rc.response().setStatusCode(problem.code().status()).putHeader("Content-Type", Problem.MEDIA_TYPE);
        if (problem.retryAfterSeconds() != null) {
            rc.response().putHeader("Retry-After", Long.toString(problem.retryAfterSeconds()));
        }
        if (problem.code().equals(CommonProblem.UNAUTHORIZED)) {
            rc.response().putHeader("WWW-Authenticate", "Bearer");
        }
        if (!rc.request().isEnded()) {
            // Refused before its body was read (no key, no quota): do not receive the rest on this connection.
            rc.response().putHeader("Connection", "close").end(write(problem.problem()))
                    .onComplete(done -> rc.request().connection().close());
            return;
        }
        rc.response().end(write(problem.problem()));
    }

    /** Parses the JSON body into a request record: malformed JSON or wrong types, unknown fields are a 400. */
    static <T> T body(RoutingContext rc, Class<T> type, ObjectMapper mapper) {
        String ct = rc.request().getHeader("Content-Type");
        if (ct == null || !ct.toLowerCase().startsWith("application/json")) {
            throw new ProblemException(CommonProblem.UNSUPPORTED_MEDIA_TYPE, "Send application/json.");
        }
        if (rc.body() == null || rc.body().buffer() == null || rc.body().length() == 0) {
            throw new ProblemException(CommonProblem.INVALID_REQUEST, "The request body is empty.");
        }
        try {
            JsonNode tree = mapper.readTree(rc.body().buffer().getBytes());
            if (tree == null || !tree.isObject()) {
                throw new ProblemException(CommonProblem.INVALID_REQUEST, "The request body must be a JSON object.");
            }
            // Checked here, at the edge, for every string of every request: nothing unstorable goes further.
            String unstorable = StorableText.firstProblem(tree);
            if (unstorable != null) {
                throw new ProblemException(CommonProblem.INVALID_REQUEST, "Unstorable text: " + unstorable + ".");
            }
            return mapper.treeToValue(tree, type);
        } catch (UnrecognizedPropertyException e) {
            throw new ProblemException(CommonProblem.INVALID_REQUEST, "Unknown field '" + e.getPropertyName() + "'.");
        } catch (JsonProcessingException e) {
            throw new ProblemException(CommonProblem.INVALID_JSON, JsonErrors.describe(e));
        } catch (IOException e) {
            throw new ProblemException(CommonProblem.INVALID_JSON, "The request body is not valid JSON.");
        }
    }

    /** Refuses (415) a request that is not NDJSON; checked before its body is read. */
    static void requireNdjson(RoutingContext rc) {
        String ct = rc.request().getHeader("Content-Type");
        if (ct == null || !ct.split(";", 2)[0].strip().equalsIgnoreCase(NDJSON)) {
            throw new ProblemException(CommonProblem.UNSUPPORTED_MEDIA_TYPE,
                    "Send " + NDJSON + ": one JSON object per line.");
        }
    }

    /** The NDJSON body, as read by the bulk body reader; an empty one is a 400. */
    static Buffer ndjson(RoutingContext rc) {
        requireNdjson(rc);
        if (rc.body() == null || rc.body().buffer() == null || rc.body().length() == 0) {
            throw new ProblemException(CommonProblem.INVALID_REQUEST, "The request body is empty.");
        }
        return rc.body().buffer();
    }

    /** Whether the request is a multipart form. */
    static boolean multipart(RoutingContext rc) {
        String ct = rc.request().getHeader("Content-Type");
        return ct != null && ct.toLowerCase().startsWith("multipart/form-data");
    }

    private static String write(Object o) {
        try {
            return OUT.writeValueAsString(o);
        } catch (IOException e) {
            throw new IllegalStateException(e);
        }
    }
}
