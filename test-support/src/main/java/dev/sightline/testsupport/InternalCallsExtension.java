package dev.sightline.testsupport;

import io.restassured.RestAssured;
import io.restassured.builder.RequestSpecBuilder;
import org.junit.jupiter.api.extension.BeforeAllCallback;
import org.junit.jupiter.api.extension.ExtensionContext;

/**
 * Makes every RestAssured request of an internal service's tests carry the internal token, as the gateway's do.
 * Registered by embed-service and retrieval-service through JUnit's extension auto-detection
 * ({@code src/test/resources/META-INF/services}); a test that proves the refusal calls without RestAssured.
 */
public class InternalCallsExtension implements BeforeAllCallback {

    @Override
    public void beforeAll(ExtensionContext context) {
        RestAssured.requestSpecification = new RequestSpecBuilder()
                .addHeader("Authorization", TestCredential.AUTHORIZATION).build();
    }
}
