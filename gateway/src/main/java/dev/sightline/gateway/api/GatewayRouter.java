package dev.sightline.gateway.api;

import dev.sightline.common.problem.RequestSizeLimit;
import dev.sightline.gateway.ErrorCode;
import dev.sightline.gateway.GatewayException;
import dev.sightline.gateway.auth.ApiKeys;
import dev.sightline.gateway.auth.RateLimiter;
import dev.sightline.gateway.config.GatewayConfig;
import io.vertx.ext.web.Router;
import io.vertx.ext.web.RoutingContext;
import io.vertx.ext.web.handler.BodyHandler;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.file.Path;

/**
 * The public routes. Every /v1 request passes, in order: the declared size check, the body reader (bounded),
 * authentication (API key → tenant) and the key's rate limit, before its handler runs on the event loop.
 */
@ApplicationScoped
public class GatewayRouter {

    /** Where the authenticated tenant is kept on the routing context. */
    static final String TENANT = "sightline.tenant";

    private final GatewayConfig config;
    private final ApiKeys keys;
    private final RateLimiter limiter;
    private final EmbeddingRoutes embeddings;
    private final CollectionRoutes collections;
    private final ClassifyRoutes classify;
    private final byte[] spec;

    public GatewayRouter(GatewayConfig config, ApiKeys keys, RateLimiter limiter, EmbeddingRoutes embeddings,
            CollectionRoutes collections, ClassifyRoutes classify) {
        this.config = config;
        this.keys = keys;
        this.limiter = limiter;
        this.embeddings = embeddings;
        this.collections = collections;
        this.classify = classify;
        try (InputStream in = GatewayRouter.class.getResourceAsStream("/META-INF/sightline.yaml")) {
            this.spec = in == null ? new byte[0] : in.readAllBytes();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    void init(@Observes Router router) {
        long max = config.limits().maxRequestBytes();
        router.route("/v1/*").order(-100).handler(rc -> RequestSizeLimit.check(rc, max));
        // Uploads go to the temp dir (an emptyDir in Kubernetes; the root filesystem is read-only there).
        router.route("/v1/*").order(-99).handler(BodyHandler.create(true).setBodyLimit(max)
                .setUploadsDirectory(Path.of(System.getProperty("java.io.tmpdir"), "sightline-uploads").toString())
                .setDeleteUploadedFilesOnEnd(true).setHandleFileUploads(true));
        router.route("/v1/*").order(-98).handler(this::authenticate);
        router.route("/v1/*").order(-97).failureHandler(this::failure);
        router.get("/openapi.yaml").handler(rc -> rc.response().putHeader("Content-Type", "application/yaml")
                .end(io.vertx.core.buffer.Buffer.buffer(spec)));
        embeddings.register(router);
        collections.register(router);
        classify.register(router);
        router.route("/v1/*").order(10_000).handler(rc -> Http.problem(rc,
                new GatewayException(ErrorCode.NOT_FOUND, "There is nothing at this path.")));
    }

    private void authenticate(RoutingContext rc) {
        String auth = rc.request().getHeader("Authorization");
        if (auth == null || !auth.regionMatches(true, 0, "Bearer ", 0, 7) || auth.length() < 8) {
            Http.problem(rc, new GatewayException(ErrorCode.UNAUTHORIZED, "Send an API key: Authorization: Bearer <key>."));
            return;
        }
        String key = auth.substring(7).strip();
        String tenant = keys.tenantOf(key).orElse(null);
        if (tenant == null) {
            Http.problem(rc, new GatewayException(ErrorCode.UNAUTHORIZED, "Unknown API key."));
            return;
        }
        long wait = limiter.acquire(ApiKeys.hash(key));
        if (wait > 0) {
            Http.problem(rc, new GatewayException(ErrorCode.RATE_LIMITED,
                    "Rate limit of this API key exceeded; retry in " + wait + " s.", wait));
            return;
        }
        rc.put(TENANT, tenant);
        rc.next();
    }

    private void failure(RoutingContext rc) {
        int status = rc.statusCode();
        if (status == 413) {
            Http.problem(rc, new GatewayException(ErrorCode.PAYLOAD_TOO_LARGE,
                    "The request body exceeds " + config.limits().maxRequestBytes() + " bytes."));
        } else if (status == 400) {
            Http.problem(rc, new GatewayException(ErrorCode.INVALID_REQUEST, "The request could not be read."));
        } else {
            Http.fail(rc, rc.failure() != null ? rc.failure() : new IllegalStateException("status " + status));
        }
    }

    static String tenant(RoutingContext rc) {
        return rc.get(TENANT);
    }
}
