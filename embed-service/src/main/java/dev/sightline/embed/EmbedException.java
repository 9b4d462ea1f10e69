package dev.sightline.embed;

/** The one error type of embed-service; its {@link ErrorCode} decides the HTTP answer. */
public class EmbedException extends RuntimeException {

    private final ErrorCode code;

    public EmbedException(ErrorCode code, String detail) {
        super(detail);
        this.code = code;
    }

    public EmbedException(ErrorCode code, String detail, Throwable cause) {
        super(detail, cause);
        this.code = code;
    }

    public ErrorCode code() {
        return code;
    }
}
