package dev.sightline.common.problem;

/**
 * The one error type of every Sightline service: a {@link ProblemCode} and a detail text safe to show the client.
 * A Retry-After given here (e.g. a rate limiter's wait) overrides the code's own.
 */
public class ProblemException extends RuntimeException {

    private final ProblemCode code;
    private final Long retryAfterSeconds;

    public ProblemException(ProblemCode code, String detail) {
        this(code, detail, null, null);
    }

    public ProblemException(ProblemCode code, String detail, Throwable cause) {
        this(code, detail, cause, null);
    }

    public ProblemException(ProblemCode code, String detail, Long retryAfterSeconds) {
        this(code, detail, null, retryAfterSeconds);
    }

    private ProblemException(ProblemCode code, String detail, Throwable cause, Long retryAfterSeconds) {
        // No stack trace for client errors: they are expected, frequent and answered, not debugged.
        super(detail, cause, false, code.status() >= 500);
        this.code = code;
        this.retryAfterSeconds = retryAfterSeconds;
    }

    public ProblemCode code() {
        return code;
    }

    /** Seconds for the Retry-After header, or null for none. */
    public Long retryAfterSeconds() {
        return retryAfterSeconds != null ? retryAfterSeconds : code.retryAfterSeconds();
    }

    /** The problem details to answer: internal failures get a generic text that reveals nothing. */
    public Problem problem() {
        return code.problem(code.status() == 500 ? "The request could not be processed." : getMessage());
    }
}
