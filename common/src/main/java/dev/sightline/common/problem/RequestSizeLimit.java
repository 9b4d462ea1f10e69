package dev.sightline.common.problem;

import io.vertx.core.json.Json;
import io.vertx.ext.web.RoutingContext;

/**
 * Rejects a request whose declared Content-Length exceeds a limit with a 413 problem, before its body is read.
 *
 * <p>Bodies without a length (chunked) are still bounded by {@code quarkus.http.limits.max-body-size}.
 */
public final class RequestSizeLimit {

    private RequestSizeLimit() {
    }

    /** Handles one request: answers 413 or passes it on. */
    public static void check(RoutingContext rc, long maxBytes) {
        String length = rc.request().getHeader("Content-Length");
        if (length != null) {
            long declared;
            try {
                declared = Long.parseLong(length.trim());
            } catch (NumberFormatException e) {
                declared = -1;
            }
            if (declared > maxBytes) {
                Problem p = Problem.of(413, "payload-too-large", "Payload too large",
                        "The request body has " + declared + " bytes; the limit is " + maxBytes + ".");
                // The unread body would follow on this connection: answer, then close it.
                rc.response().setStatusCode(413).putHeader("Content-Type", Problem.MEDIA_TYPE)
                        .putHeader("Connection", "close").end(Json.encode(p))
                        .onComplete(done -> rc.request().connection().close());
                return;
            }
        }
        rc.next();
    }
}
