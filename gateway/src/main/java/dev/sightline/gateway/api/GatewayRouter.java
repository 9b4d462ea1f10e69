package dev.sightline.gateway.api;

import dev.sightline.common.http.RequestSizeFilter;
import dev.sightline.common.problem.CommonProblem;
import dev.sightline.common.problem.ProblemException;
import dev.sightline.gateway.auth.Authenticator;
import dev.sightline.gateway.GatewayProblem;
import dev.sightline.gateway.config.GatewayConfig;
import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.ext.web.Router;
import io.vertx.ext.web.RoutingContext;
import io.vertx.ext.web.handler.BodyHandler;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.file.Path;
import java.time.Duration;

/**
 * The public routes. Every /v1 request passes, in order: the declared-size check ({@link RequestSizeFilter}),
 * authentication and the key's rate limit ({@link Authenticator}) from the headers alone, then the bounded body
 * reader, then its handler: no body byte is read and no upload written for a caller without a valid key and quota.
 * The bulk write has a body reader of its own, with the bulk limit and deadline, in the same place.
 */
@ApplicationScoped
public class GatewayRouter {

    private static final String BODY_DEADLINE = "sightline.body-deadline";
    private static final String BODY_READ = "sightline.body-read";
    private static final String BODY_LIMIT = "sightline.body-limit";

    private final RequestSizeFilter size;
    private final Authenticator authenticator;
    private final EmbeddingHandlers embeddings;
    private final CollectionHandlers collections;
    private final ClassifyHandlers classify;
    private final ModerationHandlers moderation;
    private final Buffer spec;
    private final Vertx vertx;
    private final Duration bodyReadTimeout;
    private final Duration bulkBodyReadTimeout;
    private final BodyHandler bulkBodyReader;

    public GatewayRouter(RequestSizeFilter size, Authenticator authenticator, EmbeddingHandlers embeddings,
            CollectionHandlers collections, ClassifyHandlers classify, ModerationHandlers moderation, Vertx vertx,
            GatewayConfig config) {
        this.moderation = moderation;
        this.vertx = vertx;
        this.bodyReadTimeout = config.limits().bodyReadTimeout();
        this.bulkBodyReadTimeout = config.limits().bulkBodyReadTimeout();
        this.bulkBodyReader = BodyHandler.create(false).setBodyLimit(size.bulkMaxBytes());
        this.size = size;
        this.authenticator = authenticator;
        this.embeddings = embeddings;
        this.collections = collections;
        this.classify = classify;
        try (InputStream in = GatewayRouter.class.getResourceAsStream("/META-INF/sightline.yaml")) {
            this.spec = Buffer.buffer(in == null ? new byte[0] : in.readAllBytes());
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    void init(@Observes Router router) {
        router.route("/v1/*").order(-100).handler(authenticator);
        router.route("/v1/*").order(-99).handler(rc -> {
            startBodyDeadline(rc, bodyReadTimeout);
            rc.next();
        });
        // Before the regular reader, which then lets the request pass: a request's body is read by one BodyHandler.
        router.post(CollectionHandlers.BULK_ITEMS).order(-98).handler(this::bulkBody);
        // Uploads go to the temp dir (an emptyDir in Kubernetes; the root filesystem is read-only there).
        router.route("/v1/*").order(-97).handler(BodyHandler.create(true).setBodyLimit(size.maxBytes())
                .setUploadsDirectory(Path.of(System.getProperty("java.io.tmpdir"), "sightline-uploads").toString())
                .setDeleteUploadedFilesOnEnd(true).setHandleFileUploads(true));
        router.route("/v1/*").order(-96).handler(this::bodyRead);
        router.route("/v1/*").order(-95).failureHandler(this::failure);
        router.routeWithRegex(ConsoleHeaders.PATHS).order(-100).handler(new ConsoleHeaders());
        router.get("/openapi.yaml").handler(rc -> rc.response().putHeader("Content-Type", "application/yaml").end(spec));
        embeddings.register(router);
        collections.register(router);
        classify.register(router);
        moderation.register(router);
        router.route("/v1/*").order(10_000).handler(rc -> Http.fail(rc,
                new ProblemException(CommonProblem.NOT_FOUND, "There is nothing at this path.")));
    }

    /**
     * A body that never completes — a client that stalls, or a multipart body cut short, which the multipart
     * decoder waits on for ever — is answered 408 after {@code limits.body-read-timeout} (a bulk write's after
     * {@code limits.bulk-body-read-timeout}), and its connection closed.
     */
    private void startBodyDeadline(RoutingContext rc, Duration timeout) {
        long timer = vertx.setTimer(timeout.toMillis(), id -> {
            if (!rc.response().ended() && rc.get(BODY_READ) == null) {
                Http.fail(rc, new ProblemException(GatewayProblem.REQUEST_TIMEOUT, rc.request().isEnded()
                        ? "The request body could not be read (a multipart body cut short?)."
                        : "The request body did not arrive within " + timeout.toSeconds() + " s."));
            }
        });
        rc.put(BODY_DEADLINE, timer);
        rc.addEndHandler(done -> vertx.cancelTimer(timer));
    }

    /**
     * The bulk write's body: refused at once unless NDJSON (no reason to receive up to the bulk limit of something
     * else), then read up to the bulk limit within the bulk deadline, which replaces the regular one.
     */
    private void bulkBody(RoutingContext rc) {
        try {
            Http.requireNdjson(rc);
        } catch (ProblemException e) {
            rc.fail(e);
            return;
        }
        rc.put(BODY_LIMIT, size.bulkMaxBytes());
        vertx.cancelTimer(rc.<Long>get(BODY_DEADLINE));
        startBodyDeadline(rc, bulkBodyReadTimeout);
        bulkBodyReader.handle(rc);
    }

    private void bodyRead(RoutingContext rc) {
        rc.put(BODY_READ, Boolean.TRUE);
        vertx.cancelTimer(rc.<Long>get(BODY_DEADLINE));
        rc.next();
    }

    /** Failures of the body reader (413, 400) and of authentication, written as problems. */
    private void failure(RoutingContext rc) {
        Throwable failure = switch (rc.statusCode()) {
            case 413 -> new ProblemException(CommonProblem.PAYLOAD_TOO_LARGE,
                    "The request body exceeds " + rc.get(BODY_LIMIT, size.maxBytes()) + " bytes.");
            case 400 -> new ProblemException(CommonProblem.INVALID_REQUEST, "The request could not be read.");
            default -> rc.failure() != null ? rc.failure() : new IllegalStateException("status " + rc.statusCode());
        };
        Http.fail(rc, failure);
    }
}
