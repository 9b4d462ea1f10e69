package dev.sightline.gateway.client;

import io.vertx.core.buffer.Buffer;

/** A client error a backend answered (4xx problem+json): already safe to show, passed to the caller as is. */
public class BackendProblem extends RuntimeException {

    private final int status;
    private final Buffer body;
    private final String retryAfter;

    public BackendProblem(int status, Buffer body, String retryAfter) {
        super("backend answered " + status, null, false, false);
        this.status = status;
        this.body = body;
        this.retryAfter = retryAfter;
    }

    public int status() {
        return status;
    }

    public Buffer body() {
        return body;
    }

    public String retryAfter() {
        return retryAfter;
    }
}
