package dev.sightline.retrieval.api;

import static dev.sightline.retrieval.support.Tenants.as;
import static org.hamcrest.Matchers.contains;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.nullValue;

import dev.sightline.retrieval.support.Tenants;
import io.quarkus.test.junit.QuarkusTest;
import java.util.Collections;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

@QuarkusTest
class PolicyApiTest {

    private static Map<String, Object> category(String name, String action) {
        Map<String, Object> c = new HashMap<>();
        c.put("name", name);
        c.put("prompts", List.of("a photo of a red triangle."));
        c.put("benign", List.of("a photo of a red circle."));
        c.put("threshold", 0.5);
        c.put("action", action);
        return c;
    }

    private static Map<String, Object> policy(List<Map<String, Object>> categories) {
        List<List<float[]>> vectors = Collections.nCopies(categories.size(),
                List.of(new float[] {1, 0}, new float[] {0, 1}));
        return Map.of("model", "m", "categories", categories, "prompt_vectors", vectors);
    }

    @Test
    void storesReplacesListsReadsAndDeletesPoliciesPerTenant() {
        String t = Tenants.fresh();
        as(t).body(policy(List.of(category("signs", "reject")))).put("/moderation/policies/safety").then()
                .statusCode(201).body("name", equalTo("safety")).body("model", equalTo("m"))
                .body("categories[0].name", equalTo("signs")).body("categories[0].benign",
                        contains("a photo of a red circle.")).body("categories[0].threshold", equalTo(0.5f))
                .body("categories[0].action", equalTo("reject")).body("prompt_vectors", nullValue());
        as(t).get("/moderation/policies/safety?include=vectors").then().statusCode(200)
                .body("prompt_vectors[0][1]", contains(0f, 1f));
        as(t).body(policy(List.of(category("signs", "flag"), category("stars", "reject"))))
                .put("/moderation/policies/safety").then().statusCode(200).body("categories.name",
                        contains("signs", "stars")).body("categories[0].action", equalTo("flag"));
        as(t).body(policy(List.of(category("x", "flag")))).put("/moderation/policies/aaa").then().statusCode(201);
        as(t).get("/moderation/policies").then().statusCode(200).body("policies.name", contains("aaa", "safety"))
                .body("policies[0].prompt_vectors", nullValue());
        as(Tenants.fresh()).get("/moderation/policies/safety").then().statusCode(404);
        as(Tenants.fresh()).get("/moderation/policies").then().statusCode(200).body("policies.size()", equalTo(0));
        as(t).delete("/moderation/policies/safety").then().statusCode(204);
        as(t).get("/moderation/policies/safety").then().statusCode(404)
                .body("detail", equalTo("Moderation policy safety does not exist."));
        as(t).delete("/moderation/policies/safety").then().statusCode(404);
    }

    @Test
    void aCollectionNamesAnExistingPolicyWhichThenCannotBeDeleted() {
        String t = Tenants.fresh();
        as(t).body(Map.of("dimension", 2, "model", "m", "moderation", "missing")).put("/collections/c").then()
                .statusCode(404).body("detail", equalTo("Moderation policy missing does not exist."));
        as(t).body(policy(List.of(category("signs", "reject")))).put("/moderation/policies/safety").then()
                .statusCode(201);
        as(t).body(Map.of("dimension", 2, "model", "m", "moderation", "safety")).put("/collections/c").then()
                .statusCode(201).body("moderation", equalTo("safety"));
        as(t).body(Map.of("dimension", 2, "model", "m", "moderation", "safety")).put("/collections/d").then()
                .statusCode(201);
        // Another tenant's policy of that name is not this tenant's.
        as(Tenants.fresh()).body(Map.of("dimension", 2, "model", "m", "moderation", "safety"))
                .put("/collections/c").then().statusCode(404);
        as(t).body(Map.of("dimension", 2, "model", "m")).put("/collections/plain").then().statusCode(201)
                .body("moderation", nullValue()).body("$", org.hamcrest.Matchers.hasKey("moderation"));
        as(t).body(Map.of("dimension", 2, "model", "m")).put("/collections/c").then().statusCode(409);
        as(t).get("/collections/c").then().statusCode(200).body("moderation", equalTo("safety"));
        as(t).delete("/moderation/policies/safety").then().statusCode(409).body("detail", equalTo(
                "Moderation policy safety is applied by the collections c, d; set their moderation to another policy or"
                        + " none, or delete them, first."));
        as(t).delete("/collections/c").then().statusCode(204);
        // A collection's policy can be changed and removed later.
        as(t).body(Map.of("moderation", "missing")).patch("/collections/d").then().statusCode(404);
        as(t).body(Map.of("moderation", "safety", "model", "x")).patch("/collections/d").then().statusCode(400);
        as(t).body(Collections.singletonMap("moderation", null)).patch("/collections/d").then().statusCode(200)
                .body("moderation", nullValue());
        as(t).delete("/moderation/policies/safety").then().statusCode(204);
        as(t).body(Map.of("moderation", "safety")).patch("/collections/d").then().statusCode(404);
        as(t).body(Map.of("moderation", "safety")).patch("/collections/nothing").then().statusCode(404);
        as(Tenants.fresh()).body(Collections.singletonMap("moderation", null)).patch("/collections/d").then()
                .statusCode(404);
    }

    @Test
    void refusesMalformedPolicies() {
        String t = Tenants.fresh();
        Map<String, Object> bad = category("signs", "block");
        as(t).body(policy(List.of(bad))).put("/moderation/policies/p").then().statusCode(400)
                .body("detail", equalTo("categories[0].action must be flag or reject."));
        as(t).body(policy(List.of(category("a", "flag"), category("a", "flag")))).put("/moderation/policies/p")
                .then().statusCode(400).body("detail", equalTo(
                        "categories[1].name must be distinct and match [a-z0-9][a-z0-9_-]{0,62}."));
        as(t).body(Map.of("model", "m", "categories", List.of(category("a", "flag")), "prompt_vectors",
                List.of(List.of(new float[] {1, 0})))).put("/moderation/policies/p").then().statusCode(400)
                .body("detail", equalTo("prompt_vectors[0]: give one vector per prompt and then one per benign"
                        + " prompt."));
        as(t).body(Map.of("model", "m", "categories", List.of(category("a", "flag")), "prompt_vectors",
                List.of(List.of(new float[] {1, 0}, new float[] {0, 0, 1})))).put("/moderation/policies/p").then()
                .statusCode(400);
        List<Map<String, Object>> many = new java.util.ArrayList<>();
        for (int i = 0; i < 17; i++) {
            many.add(category("c" + i, "flag"));
        }
        as(t).body(policy(many)).put("/moderation/policies/p").then().statusCode(413)
                .body("detail", equalTo("At most 16 categories per policy."));
        as(t).body(policy(List.of(category("a", "flag")))).put("/moderation/policies/Bad%20Name").then()
                .statusCode(400);
        as(t).get("/moderation/policies/p?include=everything").then().statusCode(400);
        as(t).get("/moderation/policies/p").then().statusCode(404);
    }

    @Test
    void itemsJudgedByAnotherPolicyThanTheCollectionsAreRefusedAsModerationChanged() {
        String t = Tenants.fresh();
        as(t).body(policy(List.of(category("signs", "reject")))).put("/moderation/policies/safety").then()
                .statusCode(201);
        as(t).body(Map.of("dimension", 2, "model", "m", "moderation", "safety")).put("/collections/c").then()
                .statusCode(201);
        Map<String, Object> item = Tenants.item("a", new float[] {1, 0}, "image");
        as(t).body(Map.of("items", List.of(item), "judged_by", "")).post("/collections/c/items").then()
                .statusCode(409).body("type", equalTo("https://sightline.dev/problems/moderation-changed"))
                .body("detail", equalTo("Collection c applies the moderation policy safety now, not none."));
        as(t).body(Map.of("items", List.of(item), "judged_by", "safety")).post("/collections/c/items").then()
                .statusCode(200);
        // A writer that judged nothing (no judged_by) is not checked.
        as(t).body(Map.of("items", List.of(item))).post("/collections/c/items").then().statusCode(200);
        Tenants.internal().header("X-Sightline-Tenant", t).contentType("application/x-ndjson")
                .body("{\"id\":\"b\",\"vector\":[0,1],\"modality\":\"image\"}\n".getBytes(
                        java.nio.charset.StandardCharsets.UTF_8))
                .post("/collections/c/items/bulk?judged_by=other").then().statusCode(409);
    }

    @Test
    void aCalibrationWritesBackOnlyThePolicyItRead() {
        String t = Tenants.fresh();
        String at = as(t).body(policy(List.of(category("signs", "flag")))).put("/moderation/policies/p").then()
                .statusCode(201).extract().path("updated_at");
        Map<String, Object> again = new HashMap<>(policy(List.of(category("signs", "reject"))));
        again.put("if_updated_at", at);
        as(t).body(again).put("/moderation/policies/p").then().statusCode(200)
                .body("categories[0].action", equalTo("reject"));
        // The same condition again: the policy was written since.
        as(t).body(again).put("/moderation/policies/p").then().statusCode(409);
        as(t).body(again).put("/moderation/policies/gone").then().statusCode(409);
    }
}
