package dev.sightline.gateway.client;

import io.vertx.core.buffer.Buffer;
import io.vertx.core.json.DecodeException;
import io.vertx.core.json.JsonObject;
import java.util.function.UnaryOperator;

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

    /** Whether the backend's problem is of this code (its status and its type). */
    public boolean is(dev.sightline.common.problem.ProblemCode code) {
        if (status != code.status() || body == null) {
            return false;
        }
        try {
            return code.type().equals(body.toJsonObject().getString("type"));
        } catch (DecodeException | ClassCastException e) {
            return false;
        }
    }

    /**
     * The same problem with its detail rewritten, e.g. a backend's position in a request the gateway made up (a
     * batch) turned into the position in the client's request; unchanged when the body is no problem+json object.
     */
    public BackendProblem withDetail(UnaryOperator<String> rewrite) {
        JsonObject problem;
        try {
            problem = body == null ? null : body.toJsonObject();
        } catch (DecodeException | ClassCastException e) {
            return this;
        }
        if (problem == null || !(problem.getValue("detail") instanceof String detail)) {
            return this;
        }
        return new BackendProblem(status, problem.put("detail", rewrite.apply(detail)).toBuffer(), retryAfter);
    }
}
