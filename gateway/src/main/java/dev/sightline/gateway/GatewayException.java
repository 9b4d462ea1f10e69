package dev.sightline.gateway;

/** The one error type of the gateway; its {@link ErrorCode} decides the HTTP answer. */
public class GatewayException extends RuntimeException {

    private final ErrorCode code;
    private final Long retryAfterSeconds;

    public GatewayException(ErrorCode code, String detail) {
        this(code, detail, null);
    }

    public GatewayException(ErrorCode code, String detail, Long retryAfterSeconds) {
        super(detail, null, false, false);
        this.code = code;
        this.retryAfterSeconds = retryAfterSeconds;
    }

    public ErrorCode code() {
        return code;
    }

    /** Seconds for a Retry-After header, or null. */
    public Long retryAfterSeconds() {
        return retryAfterSeconds;
    }
}
