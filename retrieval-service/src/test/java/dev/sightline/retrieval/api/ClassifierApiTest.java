package dev.sightline.retrieval.api;

import static dev.sightline.retrieval.support.Tenants.as;
import static org.hamcrest.Matchers.contains;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.nullValue;

import dev.sightline.retrieval.support.Tenants;
import io.quarkus.test.junit.QuarkusTest;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

@QuarkusTest
class ClassifierApiTest {

    private static Map<String, Object> body(List<String> labels, List<float[]> vectors) {
        return Map.of("model", "m", "labels", labels, "templates", List.of("a photo of a {}."), "label_vectors", vectors);
    }

    @Test
    void storesReplacesReadsAndDeletesClassifiersPerTenant() {
        String t = Tenants.fresh();
        as(t).body(body(List.of("cat", "dog"), List.of(new float[] {1, 0}, new float[] {0, 1})))
                .put("/classifiers/pets").then().statusCode(201).body("labels", contains("cat", "dog"))
                .body("label_vectors", nullValue());
        as(t).get("/classifiers/pets?include=vectors").then().statusCode(200)
                .body("label_vectors[1]", contains(0f, 1f));
        as(t).body(body(List.of("cat", "dog", "bird"), List.of(new float[] {1, 0}, new float[] {0, 1},
                new float[] {1, 1}))).put("/classifiers/pets").then().statusCode(200)
                .body("labels.size()", equalTo(3));
        as(Tenants.fresh()).get("/classifiers/pets").then().statusCode(404);
        as(t).delete("/classifiers/pets").then().statusCode(204);
        as(t).get("/classifiers/pets").then().statusCode(404);
    }

    @Test
    void listsTheTenantsClassifiersByNameWithoutVectors() {
        String t = Tenants.fresh();
        for (String name : List.of("shapes", "pets")) {
            as(t).body(body(List.of("a", "b"), List.of(new float[] {1, 0}, new float[] {0, 1})))
                    .put("/classifiers/" + name).then().statusCode(201);
        }
        as(t).get("/classifiers").then().statusCode(200).body("classifiers.name", contains("pets", "shapes"))
                .body("classifiers[0].labels", contains("a", "b")).body("classifiers[0].label_vectors", nullValue());
        as(Tenants.fresh()).get("/classifiers").then().statusCode(200).body("classifiers.size()", equalTo(0));
    }

    @Test
    void refusesMismatchedVectorsAndDuplicateLabels() {
        String t = Tenants.fresh();
        as(t).body(body(List.of("cat", "dog"), List.of(new float[] {1, 0}))).put("/classifiers/x").then()
                .statusCode(400);
        as(t).body(body(List.of("cat", "cat"), List.of(new float[] {1, 0}, new float[] {0, 1})))
                .put("/classifiers/x").then().statusCode(400);
        as(t).body(body(List.of("cat", "dog"), List.of(new float[] {1, 0}, new float[] {0, 0})))
                .put("/classifiers/x").then().statusCode(400);
    }

    @Test
    void refusesMoreLabelsOrTemplatesThanConfiguredAndFewerThanTwoLabels() {
        String t = Tenants.fresh();
        List<String> labels = java.util.stream.IntStream.range(0, 1001).mapToObj(i -> "l" + i).toList();
        List<float[]> vectors = java.util.Collections.nCopies(1001, new float[] {1, 0});
        as(t).body(body(labels, vectors)).put("/classifiers/x").then().statusCode(413)
                .body("type", equalTo("https://sightline.dev/problems/payload-too-large"))
                .body("detail", equalTo("At most 1000 labels and 32 templates per classifier."));
        as(t).body(Map.of("model", "m", "labels", List.of("a", "b"), "templates",
                java.util.Collections.nCopies(33, "{}"), "label_vectors", List.of(new float[] {1, 0},
                        new float[] {0, 1}))).put("/classifiers/x").then().statusCode(413);
        as(t).body(body(List.of("only"), List.of(new float[] {1, 0}))).put("/classifiers/x").then().statusCode(400)
                .body("detail", equalTo("labels: give at least two labels."));
    }
}
