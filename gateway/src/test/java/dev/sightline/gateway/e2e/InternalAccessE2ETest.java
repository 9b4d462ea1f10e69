package dev.sightline.gateway.e2e;

import static dev.sightline.gateway.support.Gateway.as;
import static org.hamcrest.Matchers.equalTo;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.sightline.gateway.support.Gateway;
import dev.sightline.gateway.support.Platform;
import dev.sightline.testsupport.TestCredential;
import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.junit.QuarkusTest;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** Only the gateway is a way in: the internal services want the internal token, the tenant comes from the key. */
@QuarkusTest
@QuarkusTestResource(Platform.class)
class InternalAccessE2ETest {

    private static final HttpClient HTTP = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).build();

    private static HttpResponse<String> call(String url, String method, String body, Map<String, String> headers)
            throws Exception {
        HttpRequest.Builder b = HttpRequest.newBuilder(URI.create(url)).method(method,
                body == null ? HttpRequest.BodyPublishers.noBody() : HttpRequest.BodyPublishers.ofString(body));
        headers.forEach(b::header);
        return HTTP.send(b.build(), HttpResponse.BodyHandlers.ofString());
    }

    @Test
    void theInternalServicesRefuseCallsWithoutTheInternalToken() throws Exception {
        List<String[]> calls = List.of(
                new String[] {Platform.retrievalUrl() + "/collections", "GET", null},
                new String[] {Platform.retrievalUrl() + "/collections/x", "PUT", "{\"dimension\":128,\"model\":\"m\"}"},
                new String[] {Platform.retrievalUrl() + "/collections/x/search", "POST", "{\"vector\":[1]}"},
                new String[] {Platform.embedUrl() + "/embed/text", "POST", "{\"texts\":[\"free inference\"]}"},
                new String[] {Platform.embedUrl() + "/model", "GET", null});
        for (String[] c : calls) {
            for (Map<String, String> headers : List.of(
                    Map.of("X-Sightline-Tenant", Platform.TENANT_A, "Content-Type", "application/json"),
                    Map.of("X-Sightline-Tenant", Platform.TENANT_A, "Content-Type", "application/json",
                            "Authorization", "Bearer " + Platform.KEY_A),
                    Map.of("Content-Type", "application/json", "Authorization", "Bearer wrong-token-wrong-token-wrong"))) {
                HttpResponse<String> r = call(c[0], c[1], c[2], headers);
                assertEquals(401, r.statusCode(), c[1] + " " + c[0] + " " + headers.keySet());
                assertEquals("application/problem+json", r.headers().firstValue("Content-Type").orElse(""));
                assertTrue(r.body().contains("\"type\":\"https://sightline.dev/problems/unauthorized\""), r.body());
            }
        }
        // Probes stay open, and the token opens the door (an operator's way in).
        assertEquals(200, call(Platform.retrievalUrl() + "/q/health/ready", "GET", null, Map.of()).statusCode());
        assertEquals(200, call(Platform.embedUrl() + "/model", "GET", null,
                Map.of("Authorization", TestCredential.AUTHORIZATION)).statusCode());
    }

    @Test
    void aForgedTenantHeaderAtTheGatewayIsIgnored() throws Exception {
        Platform.TenantKey owner = Platform.newTenant("owner");
        Platform.TenantKey forger = Platform.newTenant("forger");
        Gateway.awaitKey(owner.key());
        Gateway.awaitKey(forger.key());
        as(owner.key()).body(Map.of("name", "private")).post("/v1/collections").then().statusCode(201);

        as(forger.key()).header("X-Sightline-Tenant", owner.tenant()).get("/v1/collections/private").then()
                .statusCode(404);
        List<String> seen = as(forger.key()).header("X-Sightline-Tenant", owner.tenant()).get("/v1/collections")
                .then().statusCode(200).extract().jsonPath().getList("collections.name");
        assertFalse(seen.contains("private"), seen.toString());
        as(owner.key()).get("/v1/collections/private").then().statusCode(200).body("name", equalTo("private"));
    }
}
