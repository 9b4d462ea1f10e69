package dev.sightline.gateway.e2e;

import static dev.sightline.gateway.support.Gateway.as;
import static org.hamcrest.Matchers.equalTo;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.sightline.gateway.support.Platform;
import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.junit.QuarkusTest;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** With embed-service down the gateway answers 503 fast, and recovers by itself when it is back. */
@QuarkusTest
@QuarkusTestResource(Platform.class)
class OutageE2ETest {

    private static final Map<String, Object> EMBED = Map.of("model", "sightline/tiny-clip", "input", "a red circle");

    @Test
    void answers503FastWhileEmbedServiceIsDownAndRecovers() throws Exception {
        as(Platform.KEY_A).body(EMBED).post("/v1/embeddings").then().statusCode(200);
        Platform.stopEmbed();
        try {
            for (int i = 0; i < 8; i++) {
                long start = System.nanoTime();
                int status = as(Platform.KEY_A).body(EMBED).post("/v1/embeddings").then()
                        .contentType("application/problem+json").header("Retry-After", org.hamcrest.Matchers.notNullValue())
                        .extract().statusCode();
                long ms = (System.nanoTime() - start) / 1_000_000;
                assertEquals(503, status);
                assertTrue(ms < 2000, "a 503 took " + ms + " ms");
            }
            // Retrieval still works: the outage of one backend does not take the others down.
            as(Platform.KEY_A).get("/v1/collections").then().statusCode(200);
        } finally {
            Platform.startEmbed();
        }
        int status = 0;
        for (int i = 0; i < 60 && status != 200; i++) {
            Thread.sleep(250);
            status = as(Platform.KEY_A).body(EMBED).post("/v1/embeddings").then().extract().statusCode();
        }
        assertEquals(200, status, "the gateway did not recover after embed-service came back");
        as(Platform.KEY_A).body(EMBED).post("/v1/embeddings").then().statusCode(200).body("object", equalTo("list"));
    }
}
