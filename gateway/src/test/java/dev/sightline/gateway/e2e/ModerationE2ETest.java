package dev.sightline.gateway.e2e;

import static dev.sightline.gateway.support.Gateway.as;
import static org.hamcrest.Matchers.contains;
import static org.hamcrest.Matchers.empty;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.lessThanOrEqualTo;
import static org.hamcrest.Matchers.startsWith;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.sightline.gateway.support.Gateway;
import dev.sightline.gateway.support.Platform;
import dev.sightline.gateway.support.ShapeImages;
import dev.sightline.gateway.support.ShapeImages.Shape;
import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.path.json.JsonPath;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * Moderation policies through the gateway with the real model, on shapes drawn by the independent renderer: "warning
 * signs" (red and yellow triangles) are rejected and blue stars flagged, by /v1/moderate and at ingest; a threshold
 * calibrated for a precision on one set of drawings holds it on another.
 */
@QuarkusTest
@QuarkusTestResource(Platform.class)
class ModerationE2ETest {

    private static final List<String> COLOURS = List.of("red", "green", "blue", "yellow", "orange", "purple", "white",
            "black");
    private static final List<String> SHAPES = List.of("circle", "square", "triangle", "star", "cross");

    private static String prompt(String colour, String shape) {
        return "a photo of a " + colour + " " + shape + ".";
    }

    /** The other shapes of the category's colours and the category's shape in the other colours. */
    private static List<String> benign(List<String> colours, String shape) {
        List<String> out = new ArrayList<>();
        for (String c : colours) {
            SHAPES.stream().filter(s -> !s.equals(shape)).forEach(s -> out.add(prompt(c, s)));
        }
        COLOURS.stream().filter(c -> !colours.contains(c)).forEach(c -> out.add(prompt(c, shape)));
        return out;
    }

    private static Map<String, Object> category(String name, List<String> prompts, List<String> benign,
            double threshold, String action) {
        Map<String, Object> c = new HashMap<>();
        c.put("name", name);
        c.put("prompts", prompts);
        if (benign != null) {
            c.put("benign", benign);
        }
        c.put("threshold", threshold);
        c.put("action", action);
        return c;
    }

    private static final Map<String, Object> SIGNS = Map.of("categories", List.of(
            category("warning-signs", List.of(prompt("red", "triangle"), prompt("yellow", "triangle")),
                    benign(List.of("red", "yellow"), "triangle"), 0.5, "reject"),
            category("blue-stars", List.of(prompt("blue", "star")), benign(List.of("blue"), "star"), 0.5, "flag")));

    private static Shape one(List<Shape> shapes, String colour, String shape) {
        return shapes.stream().filter(s -> s.is(colour, shape)).findFirst().orElseThrow();
    }

    @Test
    void aPolicyJudgesImagesAndTextsAndIsAppliedAtIngest() {
        List<Shape> drawn = ShapeImages.draw(51, 40, null);
        Shape triangle = one(drawn, "red", "triangle");
        Shape star = one(drawn, "blue", "star");
        Shape circle = one(drawn, "green", "circle");
        as(Platform.KEY_A).body(SIGNS).put("/v1/moderation/policies/signs").then().statusCode(201)
                .body("name", equalTo("signs")).body("model", equalTo("sightline/tiny-clip"))
                .body("categories.name", contains("warning-signs", "blue-stars"))
                .body("categories[0].benign.size()", equalTo(14)).body("categories[1].action", equalTo("flag"));
        as(Platform.KEY_A).get("/v1/moderation/policies").then().statusCode(200)
                .body("policies.name", contains("signs"));

        as(Platform.KEY_A).body(Map.of("policy", "signs", "image", triangle.base64())).post("/v1/moderate").then()
                .statusCode(200).body("action", equalTo("reject")).body("policy", equalTo("signs"))
                .body("categories.name", contains("warning-signs", "blue-stars"))
                .body("categories.fired", contains(true, false)).body("categories[0].action", equalTo("reject"));
        as(Platform.KEY_A).body(Map.of("policy", "signs", "image", star.base64())).post("/v1/moderate").then()
                .statusCode(200).body("action", equalTo("flag")).body("categories.fired", contains(false, true));
        as(Platform.KEY_A).body(Map.of("policy", "signs", "image", circle.base64())).post("/v1/moderate").then()
                .statusCode(200).body("action", equalTo("allow")).body("categories.fired", contains(false, false));
        as(Platform.KEY_A).body(Map.of("policy", "signs", "text", "a photo of a yellow triangle.")).post("/v1/moderate")
                .then().statusCode(200).body("action", equalTo("reject"));
        // Multipart: the validator cannot read the parts, so only the answer is checked against the contract.
        io.restassured.RestAssured.given().filter(Gateway.responsesOnly()).header("Authorization", "Bearer " + Platform.KEY_A)
                .multiPart("policy", "signs").multiPart("image", star.file(), star.bytes(), "image/png")
                .post("/v1/moderate").then().statusCode(200).body("action", equalTo("flag"));

        // At ingest: a request holding a rejected item is refused whole.
        as(Platform.KEY_A).body(Map.of("name", "checked", "moderation", "signs")).post("/v1/collections").then()
                .statusCode(201).body("moderation", equalTo("signs"));
        as(Platform.KEY_A).body(Map.of("items", List.of(Map.of("id", "circle", "image", circle.base64()),
                Map.of("id", "tri", "image", triangle.base64())))).post("/v1/collections/checked/items").then()
                .statusCode(422).contentType("application/problem+json")
                .body("type", equalTo("https://sightline.dev/problems/moderation-rejected"))
                .body("detail", startsWith("items[1] (id \"tri\") is rejected by policy signs: warning-signs scored "));
        as(Platform.KEY_A).get("/v1/collections/checked/items").then().statusCode(200).body("items", empty());
        // Otherwise every item carries its verdict, whatever the client put under "moderation".
        as(Platform.KEY_A).body(Map.of("items", List.of(
                Map.of("id", "circle", "image", circle.base64(), "metadata", Map.of("moderation", "spoofed",
                        "camera", "a")),
                Map.of("id", "star", "image", star.base64())))).post("/v1/collections/checked/items").then()
                .statusCode(200).body("upserted", equalTo(2));
        as(Platform.KEY_A).get("/v1/collections/checked/items/circle").then().statusCode(200)
                .body("metadata.camera", equalTo("a")).body("metadata.moderation", equalTo(Map.of("policy", "signs",
                        "action", "allow", "categories", List.of())));
        as(Platform.KEY_A).get("/v1/collections/checked/items/star").then()
                .body("metadata.moderation", equalTo(Map.of("policy", "signs", "action", "flag", "categories",
                        List.of("blue-stars"))));
        as(Platform.KEY_A).body(Map.of("query", Map.of("text", "a photo of a shape."), "filter",
                Map.of("moderation", Map.of("action", "flag")))).post("/v1/collections/checked/search").then()
                .statusCode(200).body("results.id", contains("star"));
        // Bulk lines are judged too; the refusal names the client's line.
        Gateway.ndjson(Platform.KEY_A, "{\"id\":\"t1\",\"text\":\"a photo of a green circle.\"}\n"
                + "{\"id\":\"t2\",\"text\":\"a photo of a red triangle.\"}\n")
                .post("/v1/collections/checked/items/bulk").then().statusCode(422)
                .body("detail", startsWith("line 2 (id \"t2\") is rejected by policy signs: warning-signs scored "));
        Gateway.ndjson(Platform.KEY_A, "{\"id\":\"t1\",\"text\":\"a photo of a blue star.\"}\n")
                .post("/v1/collections/checked/items/bulk").then().statusCode(200);
        as(Platform.KEY_A).get("/v1/collections/checked/items/t1").then()
                .body("metadata.moderation.action", equalTo("flag"));

        // Verdicts are counted by where and what, without tenant or policy names.
        io.restassured.RestAssured.given().get("/q/metrics").then().statusCode(200)
                .body(org.hamcrest.Matchers.containsString("sightline_gateway_moderation_verdicts_total{action=\"reject\","
                        + "at=\"ingest\"}"))
                .body(org.hamcrest.Matchers.containsString("sightline_gateway_moderation_verdicts_total{action=\"flag\","
                        + "at=\"request\"}"));
        // A collection takes a policy later, and gives it up.
        as(Platform.KEY_A).body(Map.of("name", "later")).post("/v1/collections").then().statusCode(201)
                .body("moderation", org.hamcrest.Matchers.nullValue());
        as(Platform.KEY_A).body(Map.of("items", List.of(Map.of("id", "tri", "image", triangle.base64()))))
                .post("/v1/collections/later/items").then().statusCode(200);
        as(Platform.KEY_A).body(Map.of("moderation", "signs")).patch("/v1/collections/later").then().statusCode(200)
                .body("moderation", equalTo("signs"));
        as(Platform.KEY_A).body(Map.of("items", List.of(Map.of("id", "tri2", "image", triangle.base64()))))
                .post("/v1/collections/later/items").then().statusCode(422);
        as(Platform.KEY_B).body(Map.of("moderation", "signs")).patch("/v1/collections/later").then().statusCode(404);
        Gateway.invalid(Platform.KEY_A).body(Map.of("moderation", "signs", "media", "none"))
                .patch("/v1/collections/later").then().statusCode(400);
        as(Platform.KEY_A).body(java.util.Collections.singletonMap("moderation", null)).patch("/v1/collections/later")
                .then().statusCode(200).body("moderation", org.hamcrest.Matchers.nullValue());
        as(Platform.KEY_A).delete("/v1/collections/later").then().statusCode(204);

        // The policy is the tenant's: the other tenant sees none of it.
        as(Platform.KEY_B).get("/v1/moderation/policies/signs").then().statusCode(404);
        as(Platform.KEY_B).body(Map.of("policy", "signs", "text", "x")).post("/v1/moderate").then().statusCode(404);
        as(Platform.KEY_B).body(Map.of("name", "theirs", "moderation", "signs")).post("/v1/collections").then()
                .statusCode(404);
        as(Platform.KEY_A).delete("/v1/moderation/policies/signs").then().statusCode(409)
                .body("detail", equalTo("Moderation policy signs is applied by the collection checked; set its"
                        + " moderation to another policy or none, or delete it, first."));
        as(Platform.KEY_A).delete("/v1/collections/checked").then().statusCode(204);
        as(Platform.KEY_A).delete("/v1/moderation/policies/signs").then().statusCode(204);
        as(Platform.KEY_A).get("/v1/moderation/policies/signs").then().statusCode(404);
    }

    @Test
    void badPoliciesAndRequestsAreRefusedWithProblems() {
        Gateway.invalid(Platform.KEY_A).body(Map.of("categories", List.of(category("x", List.of("a"), null, 0.5,
                "block")))).put("/v1/moderation/policies/bad").then().statusCode(400)
                .body("detail", equalTo("categories[0].action must be flag or reject."));
        Gateway.invalid(Platform.KEY_A).body(Map.of("categories", List.of())).put("/v1/moderation/policies/bad")
                .then().statusCode(400);
        Gateway.invalid(Platform.KEY_A).body(Map.of("categories", List.of(category("x", List.of("a"), null, 2,
                "flag")))).put("/v1/moderation/policies/bad").then().statusCode(400);
        as(Platform.KEY_A).body(Map.of("model", "nobody/none", "categories", List.of(category("x", List.of("a"),
                null, 0.5, "flag")))).put("/v1/moderation/policies/bad").then().statusCode(404);
        Gateway.invalid(Platform.KEY_A).body(Map.of("policy", "bad", "text", "a", "image", "aGk="))
                .post("/v1/moderate").then().statusCode(400).body("detail", equalTo(
                        "Give exactly one of image and text."));
        as(Platform.KEY_A).body(Map.of("policy", "nothing-here", "text", "a")).post("/v1/moderate").then()
                .statusCode(404);
        as(Platform.KEY_A).body(Map.of("categories", List.of(category("x", List.of("a"), null, 0.5, "flag"))))
                .put("/v1/moderation/policies/small").then().statusCode(201);
        Gateway.invalid(Platform.KEY_A).body(Map.of("examples", List.of(Map.of("text", "a", "categories",
                List.of("y"))), "target", Map.of("metric", "precision", "value", 0.9)))
                .post("/v1/moderation/policies/small/calibrate").then().statusCode(400)
                .body("detail", equalTo("examples[0].categories: policy small has no category y."));
        Gateway.invalid(Platform.KEY_A).body(Map.of("examples", List.of(Map.of("text", "a", "categories",
                List.of())), "target", Map.of("metric", "f1", "value", 0.9)))
                .post("/v1/moderation/policies/small/calibrate").then().statusCode(400);
        Gateway.invalid(Platform.KEY_A).body(Map.of("examples", List.of(Map.of("item_id", "a", "categories",
                List.of())), "target", Map.of("metric", "recall", "value", 0.9)))
                .post("/v1/moderation/policies/small/calibrate").then().statusCode(400)
                .body("detail", equalTo("examples[0] names an item: give collection, the items' collection."));
        Gateway.invalid(Platform.KEY_A).body(Map.of("name", "c", "moderation", "Bad Name")).post("/v1/collections")
                .then().statusCode(400);
        // A collection of the policy's model but another dimension: its vectors cannot be judged.
        as(Platform.KEY_A).body(Map.of("name", "four", "dimension", 4, "moderation", "small")).post("/v1/collections")
                .then().statusCode(201);
        Gateway.ndjson(Platform.KEY_A, "{\"id\":\"v\",\"vector\":[1,0,0,0],\"modality\":\"image\"}\n")
                .post("/v1/collections/four/items/bulk").then().statusCode(400)
                .body("type", equalTo("https://sightline.dev/problems/dimension-mismatch"))
                .body("detail", equalTo("Moderation policy small judges 128-d vectors of sightline/tiny-clip; this one"
                        + " has 4."));
        as(Platform.KEY_A).delete("/v1/collections/four").then().statusCode(204);
        Gateway.invalid(Platform.KEY_A).body(Map.of("categories", List.of(category("x", java.util.Arrays.asList("a",
                null), null, 0.5, "flag")))).put("/v1/moderation/policies/nulls").then().statusCode(400)
                .body("detail", equalTo("categories[0].prompts[1] must be a text of 1 to 1000 characters."));
        Gateway.invalid(Platform.KEY_A).body(Map.of("on_duplicate", "skip", "duplicate_threshold", 2, "items",
                List.of(Map.of("id", "x", "text", "a")))).post("/v1/collections/any/items").then().statusCode(400)
                .body("detail", equalTo("The duplicate threshold is a cosine similarity from 0.5 to 1."));
        as(Platform.KEY_A).delete("/v1/moderation/policies/small").then().statusCode(204);
    }

    private static List<Map<String, Object>> examples(List<Shape> shapes) {
        List<Map<String, Object>> out = new ArrayList<>();
        for (Shape s : shapes) {
            boolean sign = s.shape().equals("triangle") && (s.colour().equals("red") || s.colour().equals("yellow"));
            out.add(Map.of("image", s.base64(), "categories", sign ? List.of("warning-signs") : List.of()));
        }
        return out;
    }

    @Test
    void aThresholdCalibratedForAPrecisionHoldsItOnHeldOutDrawings() {
        // Prompts only: the score is a cosine similarity, and the uncalibrated threshold -1 fires on everything.
        as(Platform.KEY_A).body(Map.of("categories", List.of(category("warning-signs", List.of(prompt("red",
                "triangle"), prompt("yellow", "triangle")), null, -1, "flag")))).put("/v1/moderation/policies/cal")
                .then().statusCode(201);
        List<Shape> tuning = new ArrayList<>(ShapeImages.draw(61, 40, null));
        tuning.addAll(ShapeImages.draw(62, 12, "red:triangle,yellow:triangle"));
        JsonPath dry = as(Platform.KEY_A).body(Map.of("examples", examples(tuning), "target", Map.of("metric",
                "recall", "value", 1.0), "dry_run", true)).post("/v1/moderation/policies/cal/calibrate").then()
                .statusCode(200).body("stored", equalTo(false)).extract().jsonPath();
        assertEquals(true, dry.getBoolean("categories[0].met"));
        as(Platform.KEY_A).get("/v1/moderation/policies/cal").then().body("categories[0].threshold", equalTo(-1f));

        JsonPath cal = as(Platform.KEY_A).body(Map.of("examples", examples(tuning), "target", Map.of("metric",
                "precision", "value", 0.9))).post("/v1/moderation/policies/cal/calibrate").then().statusCode(200)
                .body("policy", equalTo("cal")).body("examples", equalTo(52)).body("stored", equalTo(true))
                .body("categories[0].name", equalTo("warning-signs")).body("categories[0].met", equalTo(true))
                .body("categories[0].previous_threshold", equalTo(-1f)).body("categories[0].positives", equalTo(14))
                .body("categories[0].table.size()", lessThanOrEqualTo(52)).extract().jsonPath();
        float threshold = cal.getFloat("categories[0].threshold");
        assertTrue(cal.getFloat("categories[0].precision") >= 0.9f, cal.prettify());
        as(Platform.KEY_A).get("/v1/moderation/policies/cal").then().body("categories[0].threshold",
                equalTo(threshold));

        // Held out: other seeds of the renderer, judged by the stored threshold.
        List<Shape> heldOut = new ArrayList<>(ShapeImages.draw(71, 40, null));
        heldOut.addAll(ShapeImages.draw(72, 12, "red:triangle,yellow:triangle"));
        int tp = 0;
        int fp = 0;
        int fn = 0;
        for (Map<String, Object> e : examples(heldOut)) {
            boolean fired = as(Platform.KEY_A).body(Map.of("policy", "cal", "image", e.get("image")))
                    .post("/v1/moderate").then().statusCode(200).extract().path("categories[0].fired");
            boolean sign = !((List<?>) e.get("categories")).isEmpty();
            tp += fired && sign ? 1 : 0;
            fp += fired && !sign ? 1 : 0;
            fn += !fired && sign ? 1 : 0;
        }
        double precision = tp / (double) (tp + fp);
        double recall = tp / (double) (tp + fn);
        System.out.printf("calibrated threshold %.4f: tuning precision %.3f recall %.3f; held-out precision %.3f"
                + " recall %.3f (%d positives of %d)%n", threshold, cal.getFloat("categories[0].precision"),
                cal.getFloat("categories[0].recall"), precision, recall, tp + fn, heldOut.size());
        assertTrue(precision >= 0.9, "held-out precision " + precision);

        // Examples may name stored items (the collection's model must be the policy's).
        as(Platform.KEY_A).body(Map.of("name", "cal-items", "media", "none")).post("/v1/collections").then()
                .statusCode(201);
        as(Platform.KEY_A).body(Map.of("items", List.of(Map.of("id", "sign", "image", heldOut.get(45).base64()),
                Map.of("id", "other", "image", heldOut.get(0).base64())))).post("/v1/collections/cal-items/items")
                .then().statusCode(200);
        as(Platform.KEY_A).body(Map.of("collection", "cal-items", "dry_run", true, "target", Map.of("metric",
                "precision", "value", 1.0), "examples", List.of(Map.of("item_id", "sign", "categories",
                List.of("warning-signs")), Map.of("item_id", "other", "categories", List.of()))))
                .post("/v1/moderation/policies/cal/calibrate").then().statusCode(200).body("examples", equalTo(2))
                .body("categories[0].positives", equalTo(1)).body("stored", equalTo(false));
        as(Platform.KEY_A).body(Map.of("collection", "cal-items", "target", Map.of("metric", "precision", "value",
                1.0), "examples", List.of(Map.of("item_id", "missing", "categories", List.of()))))
                .post("/v1/moderation/policies/cal/calibrate").then().statusCode(404);
        as(Platform.KEY_A).delete("/v1/collections/cal-items").then().statusCode(204);
        as(Platform.KEY_A).delete("/v1/moderation/policies/cal").then().statusCode(204)
                .body(org.hamcrest.Matchers.emptyOrNullString());
        as(Platform.KEY_A).get("/v1/moderation/policies/cal").then().statusCode(404)
                .body("title", equalTo("Not found"));
    }
}
