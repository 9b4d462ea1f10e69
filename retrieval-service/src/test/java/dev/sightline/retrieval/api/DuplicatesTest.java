package dev.sightline.retrieval.api;

import static dev.sightline.retrieval.support.Tenants.as;
import static org.hamcrest.Matchers.both;
import static org.hamcrest.Matchers.greaterThan;
import static org.hamcrest.Matchers.lessThan;
import static org.hamcrest.Matchers.contains;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.nullValue;

import dev.sightline.retrieval.support.Tenants;
import io.quarkus.test.junit.QuarkusTest;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import org.junit.jupiter.api.Test;

/** Near-duplicate groups from neighbour links, and on_duplicate at ingest, with vectors of known similarities. */
@QuarkusTest
class DuplicatesTest {

    // cos(a, a1) = 1/sqrt(1.01) = 0.99504; cos(a1, a2) = 1.02/sqrt(1.01 * 1.04) = 0.99523; cos(a, a2) = 0.98058;
    // cos(b, b1) = 1/sqrt(1.04) = 0.98058; c is orthogonal to all; the text t has a's vector.
    private static final float[] A = {1, 0, 0, 0};
    private static final float[] A1 = {1, 0.1f, 0, 0};
    private static final float[] A2 = {1, 0.2f, 0, 0};
    private static final float[] B = {0, 1, 0, 0};
    private static final float[] B1 = {0, 1, 0, 0.2f};
    private static final float[] C = {0, 0, 1, 0};

    /** JSON numbers come back as floats. */
    private static org.hamcrest.Matcher<Float> near(double x, double within) {
        return both(greaterThan((float) (x - within))).and(lessThan((float) (x + within)));
    }

    private static String seeded() {
        String t = Tenants.fresh();
        Tenants.collection(t, "shots", 4);
        Tenants.upsert(t, "shots", List.of(Tenants.item("a", A, "image"), Tenants.item("a1", A1, "image"),
                Tenants.item("a2", A2, "image"), Tenants.item("b", B, "image"), Tenants.item("b1", B1, "image"),
                Tenants.item("c", C, "image"), Tenants.item("t", A, "text")));
        return t;
    }

    @Test
    void groupsItemsJoinedByLinksAtOrAboveTheThreshold() {
        String t = seeded();
        as(t).body(Map.of("threshold", 0.97, "modality", "image")).post("/collections/shots/duplicates").then()
                .statusCode(200).body("collection", equalTo("shots")).body("threshold", equalTo(0.97f))
                .body("modality", equalTo("image")).body("scanned", equalTo(6))
                .body("groups.ids", contains(List.of("a", "a1", "a2"), List.of("b", "b1")))
                // The group's weakest joining link is a-a1, not the unneeded a-a2 (0.98058).
                .body("groups[0].min_score", near(0.99504, 1e-4))
                .body("groups[1].min_score", near(0.98058, 1e-4));
        as(t).body(Map.of("threshold", 0.99, "modality", "image")).post("/collections/shots/duplicates").then()
                .statusCode(200).body("groups.ids", equalTo(List.of(List.of("a", "a1", "a2"))));
        // Both modalities: the text with a's vector joins a's group.
        as(t).body(Map.of("threshold", 0.99)).post("/collections/shots/duplicates").then().statusCode(200)
                .body("modality", nullValue()).body("scanned", equalTo(7))
                .body("groups.ids", equalTo(List.of(List.of("a", "a1", "a2", "t"))));
        // Defaults: the configured threshold, both modalities; an empty body is the same.
        as(t).body(Map.of()).post("/collections/shots/duplicates").then().statusCode(200)
                .body("threshold", equalTo(0.98f)).body("groups.ids", contains(List.of("a", "a1", "a2", "t"),
                        List.of("b", "b1")));
        as(Tenants.fresh()).body(Map.of()).post("/collections/shots/duplicates").then().statusCode(404);
    }

    @Test
    void refusesBadThresholdsModalitiesAndCollectionsOverTheScanLimit() {
        String t = seeded();
        for (double bad : new double[] {0.2, 1.5}) {
            as(t).body(Map.of("threshold", bad)).post("/collections/shots/duplicates").then().statusCode(400)
                    .body("detail", equalTo("The duplicate threshold is a cosine similarity from 0.5 to 1."));
        }
        as(t).body(Map.of("modality", "audio")).post("/collections/shots/duplicates").then().statusCode(400);
        as(t).body("[]").post("/collections/shots/duplicates").then().statusCode(400);
        Tenants.collection(t, "big", 4);
        Random r = new Random(3);
        List<Map<String, Object>> items = new ArrayList<>();
        for (int i = 0; i < 501; i++) {
            items.add(Tenants.item("i" + i, new float[] {r.nextFloat(), r.nextFloat(), r.nextFloat(), 1}, "image"));
        }
        Tenants.upsert(t, "big", items);
        as(t).body(Map.of()).post("/collections/big/duplicates").then().statusCode(413).body("detail", equalTo(
                "A duplicate scan reads at most 500 items; the collection holds 501. Narrow it with modality, or"
                        + " raise sightline.retrieval.limits.max-duplicate-scan."));
    }

    private static Map<String, Object> upsert(String onDuplicate, Double threshold, List<Map<String, Object>> items) {
        Map<String, Object> body = new HashMap<>();
        body.put("items", items);
        body.put("on_duplicate", onDuplicate);
        if (threshold != null) {
            body.put("duplicate_threshold", threshold);
        }
        return body;
    }

    @Test
    void skipKeepsOutCopiesOfStoredItemsAndOfEarlierItemsOfTheRequest() {
        String t = Tenants.fresh();
        Tenants.collection(t, "c", 4);
        Tenants.upsert(t, "c", List.of(Tenants.item("a", A, "image"), Tenants.item("b", B, "image")));
        as(t).body(upsert("skip", 0.99, List.of(Tenants.item("a-copy", A1, "image"), Tenants.item("new", C, "image"),
                Tenants.item("new-copy", C, "image"), Tenants.item("a-text", A, "text"))))
                .post("/collections/c/items").then().statusCode(200).body("upserted", equalTo(2))
                .body("items.id", contains("a-copy", "new", "new-copy", "a-text"))
                .body("items.status", contains("skipped", "stored", "skipped", "stored"))
                .body("items[0].duplicate_of", equalTo("a")).body("items[0].score", near(0.99504, 1e-4))
                .body("items[1].duplicate_of", nullValue()).body("items[2].duplicate_of", equalTo("new"))
                .body("items[2].score", near(1.0, 1e-6))
                // Another modality is never a duplicate.
                .body("items[3].duplicate_of", nullValue());
        as(t).get("/collections/c/items/a-copy").then().statusCode(404);
        as(t).get("/collections/c/items/new").then().statusCode(200);
        // An item of the same id is an update, not its own duplicate.
        as(t).body(upsert("skip", null, List.of(Tenants.item("b", B1, "image")))).post("/collections/c/items")
                .then().statusCode(200).body("upserted", equalTo(1)).body("items[0].status", equalTo("stored"));
    }

    @Test
    void replaceDeletesTheDuplicateAndKeepStoresBoth() {
        String t = Tenants.fresh();
        Tenants.collection(t, "c", 4);
        Tenants.upsert(t, "c", List.of(Tenants.item("a", A, "image"), Tenants.item("b", B, "image")));
        as(t).body(upsert("replace", 0.99, List.of(Tenants.item("a-new", A1, "image")))).post("/collections/c/items")
                .then().statusCode(200).body("upserted", equalTo(1)).body("items[0].status", equalTo("stored"))
                .body("items[0].duplicate_of", equalTo("a")).body("items[0].replaced", equalTo(true));
        as(t).get("/collections/c/items/a").then().statusCode(404);
        as(t).get("/collections/c/items/a-new").then().statusCode(200);
        // Within one request the later copy replaces the earlier one, which is then not stored.
        as(t).body(upsert("replace", 0.99, List.of(Tenants.item("p", new float[] {0, 0, 0, 1}, "image"),
                Tenants.item("p2", new float[] {0, 0, 0.05f, 1}, "image")))).post("/collections/c/items").then()
                .statusCode(200).body("upserted", equalTo(1)).body("items.status", contains("replaced", "stored"))
                .body("items[0].duplicate_of", equalTo("p2")).body("items[1].duplicate_of", equalTo("p"))
                .body("items[1].replaced", equalTo(true));
        as(t).get("/collections/c/items/p").then().statusCode(404);
        as(t).body(upsert("keep", 0.97, List.of(Tenants.item("b-copy", B1, "image")))).post("/collections/c/items")
                .then().statusCode(200).body("upserted", equalTo(1)).body("items[0].status", equalTo("stored"))
                .body("items[0].duplicate_of", equalTo("b")).body("items[0].replaced", nullValue());
        as(t).get("/collections/c/items/b").then().statusCode(200);
        as(t).body(upsert("merge", null, List.of(Tenants.item("x", C, "image")))).post("/collections/c/items").then()
                .statusCode(400).body("detail", equalTo("on_duplicate must be keep, skip or replace."));
        as(t).body(Map.of("items", List.of(Tenants.item("x", C, "image")), "duplicate_threshold", 0.9))
                .post("/collections/c/items").then().statusCode(400)
                .body("detail", equalTo("duplicate_threshold needs on_duplicate."));
        as(t).body(upsert("skip", 0.3, List.of(Tenants.item("x", C, "image")))).post("/collections/c/items").then()
                .statusCode(400);
        // Without on_duplicate the answer is as before: no items.
        as(t).body(Map.of("items", List.of(Tenants.item("y", C, "image")))).post("/collections/c/items").then()
                .statusCode(200).body("items", nullValue());
    }

    @Test
    void aReplacingItemThatIsStaleReplacesNothing() {
        String t = Tenants.fresh();
        Tenants.collection(t, "c", 4);
        Map<String, Object> newer = new HashMap<>(Tenants.item("r", C, "image"));
        newer.put("version", 100);
        Tenants.upsert(t, "c", List.of(Tenants.item("a", A, "image"), newer));
        // "r" arrives again with an older version and a's vector: it is not written, so a must stay.
        Map<String, Object> older = new HashMap<>(Tenants.item("r", A1, "image"));
        older.put("version", 50);
        as(t).body(upsert("replace", 0.99, List.of(older))).post("/collections/c/items").then().statusCode(200)
                .body("upserted", equalTo(0)).body("stale", contains("r")).body("items[0].status", equalTo("stale"))
                .body("items[0].duplicate_of", equalTo("a")).body("items[0].replaced", nullValue());
        as(t).get("/collections/c/items/a").then().statusCode(200);
    }

    @Test
    void aReplacementChainDeletesTheStoredOriginalOnce() {
        String t = Tenants.fresh();
        Tenants.collection(t, "c", 4);
        Tenants.upsert(t, "c", List.of(Tenants.item("s", A, "image")));
        // l1 replaces the stored s, then l2 replaces l1 in the same request: s goes, l1 is not stored, l2 is.
        as(t).body(upsert("replace", 0.99, List.of(Tenants.item("l1", A1, "image"), Tenants.item("l2", A,
                "image")))).post("/collections/c/items").then().statusCode(200).body("upserted", equalTo(1))
                .body("items.status", contains("replaced", "stored")).body("items[1].duplicate_of", equalTo("l1"));
        as(t).get("/collections/c/items/s").then().statusCode(404);
        as(t).get("/collections/c/items/l1").then().statusCode(404);
        as(t).get("/collections/c/items/l2").then().statusCode(200);
    }
}
