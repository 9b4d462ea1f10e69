package dev.sightline.common.internal;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;

/** The internal credential: the header that carries it and a constant-time check of a presented one. */
public final class InternalToken {

    /** Shortest accepted token: 32 characters of a random base62 string are 190 bits. */
    public static final int MIN_LENGTH = 32;

    private final byte[] expected;
    private final String header;

    /** Refuses a weak token at start-up rather than running with it. */
    public InternalToken(String token) {
        if (token == null || token.strip().length() < MIN_LENGTH) {
            throw new IllegalStateException("sightline.internal.token (SIGHTLINE_INTERNAL_TOKEN) must be at least "
                    + MIN_LENGTH + " characters: ./sightline up writes one to .sightline/internal-token");
        }
        this.expected = token.strip().getBytes(StandardCharsets.UTF_8);
        this.header = "Bearer " + token.strip();
    }

    /** The Authorization header value a caller sends. */
    public String authorization() {
        return header;
    }

    /** Whether an Authorization header carries this token; the comparison takes the same time wherever it differs. */
    public boolean accepts(String authorization) {
        if (authorization == null || authorization.length() < 7 || !authorization.regionMatches(true, 0, "Bearer ", 0, 7)) {
            return false;
        }
        byte[] presented = authorization.substring(7).strip().getBytes(StandardCharsets.UTF_8);
        return MessageDigest.isEqual(presented, expected);
    }
}
