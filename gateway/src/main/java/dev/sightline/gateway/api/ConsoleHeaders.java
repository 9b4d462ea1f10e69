package dev.sightline.gateway.api;

import io.vertx.core.Handler;
import io.vertx.core.MultiMap;
import io.vertx.ext.web.RoutingContext;

/**
 * The security headers of the web console's pages and assets (served by Quarkus from META-INF/resources at
 * {@code /}). The policy allows only this origin's scripts, styles and API, images from this origin or from object
 * URLs (thumbnails are fetched with the key and shown as blobs), no inline script or style, no framing, no form
 * posts and no plugins: an injected string can neither run nor send the key elsewhere.
 */
final class ConsoleHeaders implements Handler<RoutingContext> {

    /** Paths of the console: the page and its assets. */
    static final String PATHS = "^/(index\\.html|console/.*)?$";

    static final String CONTENT_SECURITY_POLICY = "default-src 'none'; script-src 'self'; style-src 'self';"
            + " img-src 'self' blob:; connect-src 'self'; base-uri 'none'; form-action 'none';"
            + " frame-ancestors 'none'";

    @Override
    public void handle(RoutingContext rc) {
        MultiMap h = rc.response().headers();
        h.set("Content-Security-Policy", CONTENT_SECURITY_POLICY);
        h.set("X-Content-Type-Options", "nosniff");
        h.set("X-Frame-Options", "DENY");
        h.set("Referrer-Policy", "no-referrer");
        h.set("Cross-Origin-Opener-Policy", "same-origin");
        h.set("Permissions-Policy", "camera=(), microphone=(), geolocation=()");
        // Revalidated on every load, so that a new version of the console is never mixed with an old one.
        h.set("Cache-Control", "no-cache");
        rc.next();
    }
}
