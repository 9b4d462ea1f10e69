package dev.sightline.retrieval;

/** The one error type of retrieval-service; its {@link ErrorCode} decides the HTTP answer. */
public class RetrievalException extends RuntimeException {

    private final ErrorCode code;

    public RetrievalException(ErrorCode code, String detail) {
        super(detail);
        this.code = code;
    }

    public RetrievalException(ErrorCode code, String detail, Throwable cause) {
        super(detail, cause);
        this.code = code;
    }

    public ErrorCode code() {
        return code;
    }
}
