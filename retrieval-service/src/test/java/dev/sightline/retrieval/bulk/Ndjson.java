package dev.sightline.retrieval.bulk;

import static dev.sightline.retrieval.support.Tenants.internal;

import io.restassured.response.ValidatableResponse;
import java.nio.charset.StandardCharsets;
import java.util.Random;

/** NDJSON bodies of {@code /items/bulk}, written by hand here (not by the code under test), and their sending. */
final class Ndjson {

    private final StringBuilder body = new StringBuilder();

    /** One line: {"id": …, "modality": …, "vector": [...]} plus the given extra members (raw JSON, or empty). */
    Ndjson item(String id, String modality, float[] vector, String extra) {
        body.append("{\"id\":\"").append(id).append("\",\"modality\":\"").append(modality).append("\",\"vector\":[");
        for (int i = 0; i < vector.length; i++) {
            body.append(i > 0 ? "," : "").append(vector[i]);
        }
        body.append(']').append(extra.isEmpty() ? "" : "," + extra).append("}\n");
        return this;
    }

    /** A raw line, as it is. */
    Ndjson line(String raw) {
        body.append(raw).append('\n');
        return this;
    }

    String text() {
        return body.toString();
    }

    ValidatableResponse post(String tenant, String collection) {
        return post(tenant, collection, "");
    }

    /** With a query string ({@code "?more=true"}). */
    ValidatableResponse post(String tenant, String collection, String query) {
        return internal().header("X-Sightline-Tenant", tenant).contentType("application/x-ndjson")
                .body(text().getBytes(StandardCharsets.UTF_8))
                .post("/collections/" + collection + "/items/bulk" + query).then();
    }

    static float[] random(Random r, int dimension) {
        float[] v = new float[dimension];
        for (int i = 0; i < dimension; i++) {
            v[i] = (float) r.nextGaussian();
        }
        return v;
    }
}
