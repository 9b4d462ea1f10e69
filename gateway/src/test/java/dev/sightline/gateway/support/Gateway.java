package dev.sightline.gateway.support;

import static io.restassured.RestAssured.given;

import com.atlassian.oai.validator.OpenApiInteractionValidator;
import com.atlassian.oai.validator.report.LevelResolver;
import com.atlassian.oai.validator.report.ValidationReport;
import com.atlassian.oai.validator.restassured.OpenApiValidationFilter;
import io.restassured.http.ContentType;
import io.restassured.specification.RequestSpecification;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Base64;

/** Calls to the gateway under test, each checked against the public contract (openapi/sightline.yaml). */
public final class Gateway {

    private static final Path ROOT = Path.of(System.getProperty("sightline.root", "..")).toAbsolutePath().normalize();
    private static OpenApiValidationFilter contract;
    private static OpenApiValidationFilter responses;

    private Gateway() {
    }

    /** The validation filter: requests and responses must match the OpenAPI document. */
    public static synchronized OpenApiValidationFilter contract() {
        if (contract == null) {
            contract = new OpenApiValidationFilter(validator(LevelResolver.create()));
        }
        return contract;
    }

    /** For requests that break the contract on purpose: only the gateway's answers are checked. */
    public static synchronized OpenApiValidationFilter responsesOnly() {
        if (responses == null) {
            responses = new OpenApiValidationFilter(validator(LevelResolver.create()
                    .withLevel("validation.request", ValidationReport.Level.IGNORE)));
        }
        return responses;
    }

    private static OpenApiInteractionValidator validator(LevelResolver.Builder levels) {
        return OpenApiInteractionValidator.createForSpecificationUrl(ROOT.resolve("openapi/sightline.yaml").toUri().toString())
                .withLevelResolver(levels.build()).build();
    }

    /** A JSON request that breaks the contract on purpose, with a tenant's key; the answer is still checked. */
    public static RequestSpecification invalid(String key) {
        RequestSpecification r = given().filter(responsesOnly()).contentType(ContentType.JSON);
        return key == null ? r : r.header("Authorization", "Bearer " + key);
    }

    /** A JSON request with a tenant's key, validated against the contract. */
    public static RequestSpecification as(String key) {
        return given().filter(contract()).header("Authorization", "Bearer " + key).contentType(ContentType.JSON);
    }

    /**
     * A bulk write's NDJSON body (as UTF-8 bytes, sent as written) with a tenant's key, validated against the
     * contract; the validator checks the media type but cannot read the lines.
     */
    public static RequestSpecification ndjson(String key, String body) {
        return given().filter(contract()).header("Authorization", "Bearer " + key).contentType("application/x-ndjson")
                .body(body.getBytes(java.nio.charset.StandardCharsets.UTF_8));
    }

    /** A request without a key, validated against the contract. */
    public static RequestSpecification anonymous() {
        return given().filter(contract());
    }

    /** Waits until the gateway accepts a key just added to the keys file. */
    public static void awaitKey(String key) throws InterruptedException {
        for (int i = 0; i < 100; i++) {
            if (given().header("Authorization", "Bearer " + key).get("/v1/collections").statusCode() == 200) {
                return;
            }
            Thread.sleep(100);
        }
        throw new IllegalStateException("the gateway did not pick up a new key within 10 s");
    }

    public static byte[] fixture(String name) {
        try {
            return Files.readAllBytes(ROOT.resolve("models/fixtures/parity/images").resolve(name));
        } catch (java.io.IOException e) {
            throw new java.io.UncheckedIOException(e);
        }
    }

    public static String base64(String fixture) {
        return Base64.getEncoder().encodeToString(fixture(fixture));
    }
}
