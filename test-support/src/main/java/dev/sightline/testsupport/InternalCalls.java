package dev.sightline.testsupport;

import io.quarkus.test.junit.callback.QuarkusTestBeforeClassCallback;
import io.restassured.RestAssured;
import io.restassured.filter.Filter;
import io.restassured.filter.FilterContext;
import io.restassured.response.Response;
import io.restassured.specification.FilterableRequestSpecification;
import io.restassured.specification.FilterableResponseSpecification;

/**
 * Makes every RestAssured request of an internal service's {@code @QuarkusTest}s carry the internal token, as the
 * gateway's calls do. Registered by embed-service and retrieval-service in
 * {@code src/test/resources/META-INF/services/io.quarkus.test.junit.callback.QuarkusTestBeforeClassCallback} (not
 * by the gateway, whose tests send API keys).
 *
 * <p>Quarkus loads test classes, and RestAssured with them, in its own class loader, so a plain JUnit extension
 * would set another copy of RestAssured's defaults; a Quarkus callback, loaded beside the test class, reaches the
 * copy the tests use. A filter rather than a default request specification, which would also pin the port before
 * Quarkus sets it. A test that proves the refusal sends an Authorization header of its own, or none through raw HTTP.
 */
public class InternalCalls implements QuarkusTestBeforeClassCallback {

    @Override
    public void beforeClass(Class<?> testClass) {
        if (RestAssured.filters().stream().noneMatch(TokenFilter.class::isInstance)) {
            RestAssured.filters(new TokenFilter());
        }
    }

    /** Adds the internal token to requests that carry no Authorization header of their own. */
    private static final class TokenFilter implements Filter {
        @Override
        public Response filter(FilterableRequestSpecification request, FilterableResponseSpecification response,
                FilterContext context) {
            if (!request.getHeaders().hasHeaderWithName("Authorization")) {
                request.header("Authorization", TestCredential.AUTHORIZATION);
            }
            return context.next(request, response);
        }
    }
}
