package dev.sightline.testsupport;

/**
 * The internal token of tests and benchmarks: the same public value as the services' {@code %test} profile, and what
 * every service started by {@link ServiceLaunch} is given. Never a production secret.
 */
public final class TestCredential {

    public static final String TOKEN = "test-only-internal-token-not-a-secret-000";

    /** The Authorization header value of an internal call. */
    public static final String AUTHORIZATION = "Bearer " + TOKEN;

    private TestCredential() {
    }
}
