package dev.sightline.gateway.e2e;

import static dev.sightline.gateway.support.Gateway.as;
import static dev.sightline.gateway.support.Gateway.base64;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.hasSize;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.sightline.gateway.support.Gateway;
import dev.sightline.gateway.support.Platform;
import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.path.json.JsonPath;
import io.restassured.response.Response;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicBoolean;
import org.junit.jupiter.api.Test;

/**
 * Moving collections to another model with the real services and PostgreSQL: a mixed text and image collection
 * migrated while searches and writes go on (no search fails, each searcher sees the model change once, the writes
 * are in the new index), a kill -9 of retrieval-service mid-migration (resumed by the restarted one, nothing copied
 * twice or skipped), a cancel, what is refused, and other tenants kept out. retrieval-service runs migrations at 60
 * items/s here (Platform), so that the tests can act while one runs.
 */
@QuarkusTest
@QuarkusTestResource(Platform.class)
class MigrationE2ETest {

    static final String DEFAULT = "sightline/tiny-clip";
    static final String SECOND = "sightline/tiny-clip-p96";
    static final String PROBLEMS = "https://sightline.dev/problems/";

    @Test
    void aMixedCollectionMovesToTheSecondModelWhileSearchesAndWritesGoOn() throws Exception {
        as(Platform.KEY_A).body(Map.of("name", "lifecycle", "media", "original")).post("/v1/collections").then()
                .statusCode(201);
        List<Map<String, Object>> items = new ArrayList<>(List.of(
                Map.of("id", "red-circle", "image", base64("wide.png")),
                Map.of("id", "blue-square", "image", base64("tall.jpg")),
                Map.of("id", "yellow-star", "image", base64("large.jpg"))));
        for (int i = 0; i < 150; i++) {
            items.add(Map.of("id", String.format("note-%03d", i), "text", "note number " + i + " about nothing"));
        }
        as(Platform.KEY_A).body(Map.of("items", items)).post("/v1/collections/lifecycle/items").then().statusCode(200)
                .body("upserted", equalTo(153));

        // Searches throughout, by text (embedded each time with the collection's model of the moment).
        List<String> seen = Collections.synchronizedList(new ArrayList<>());
        List<String> failures = Collections.synchronizedList(new ArrayList<>());
        AtomicBoolean stop = new AtomicBoolean();
        Thread searcher = new Thread(() -> {
            while (!stop.get()) {
                Response r = as(Platform.KEY_A).body(Map.of("query", Map.of("text", "a photo of a red circle."),
                        "modality", "image", "top_k", 1)).post("/v1/collections/lifecycle/search");
                if (r.statusCode() != 200) {
                    failures.add(r.statusCode() + " " + r.asString());
                } else {
                    JsonPath j = r.jsonPath();
                    seen.add(j.getString("model") + " " + j.getString("results[0].id"));
                }
            }
        });
        searcher.start();

        String id = as(Platform.KEY_A).body(Map.of("model", SECOND)).post("/v1/collections/lifecycle/migrations")
                .then().statusCode(202).body("state", equalTo("queued")).body("from_model", equalTo(DEFAULT))
                .body("model", equalTo(SECOND)).body("dimension", equalTo(96)).body("total", equalTo(153))
                .extract().path("id");
        // Writes meanwhile: a new item and a deletion, both in the new index at the end.
        as(Platform.KEY_A).body(Map.of("items", List.of(Map.of("id", "late", "text", "a note written meanwhile"))))
                .post("/v1/collections/lifecycle/items").then().statusCode(200);
        as(Platform.KEY_A).delete("/v1/collections/lifecycle/items/note-007").then().statusCode(204);
        // Other tenants see no such job.
        as(Platform.KEY_B).get("/v1/collections/lifecycle/migrations/" + id).then().statusCode(404);

        JsonPath done = awaitEnd("lifecycle", id);
        // A search or two after the switch before the searcher stops.
        int before = seen.size();
        for (int i = 0; i < 100 && seen.size() < before + 2; i++) {
            Thread.sleep(50);
        }
        stop.set(true);
        searcher.join();
        assertEquals("succeeded", done.getString("state"), done.prettify());
        assertEquals(List.of(), failures);
        // Every search found the red circle; the model changed once and never back.
        assertTrue(seen.stream().allMatch(s -> s.endsWith(" red-circle")), seen.toString());
        int firstNew = seen.indexOf(SECOND + " red-circle");
        assertTrue(firstNew >= 0, "no search after the switch: " + seen);
        assertTrue(seen.subList(0, firstNew).stream().allMatch(s -> s.startsWith(DEFAULT + " ")), seen.toString());
        assertTrue(seen.subList(firstNew, seen.size()).stream().allMatch(s -> s.startsWith(SECOND + " ")),
                seen.toString());

        as(Platform.KEY_A).get("/v1/collections/lifecycle").then().statusCode(200).body("model", equalTo(SECOND))
                .body("dimension", equalTo(96)).body("counts.image", equalTo(3)).body("counts.text", equalTo(150));
        as(Platform.KEY_A).get("/v1/collections/lifecycle/items/late?include=vector").then().statusCode(200)
                .body("vector", hasSize(96));
        as(Platform.KEY_A).get("/v1/collections/lifecycle/items/note-007").then().statusCode(404);
        // The kept media went along, and searches by image use the new model.
        as(Platform.KEY_A).get("/v1/collections/lifecycle/items/red-circle/original").then().statusCode(200);
        as(Platform.KEY_A).body(Map.of("query", Map.of("image", base64("tall.jpg")), "modality", "image", "top_k", 1))
                .post("/v1/collections/lifecycle/search").then().statusCode(200).body("model", equalTo(SECOND))
                .body("results[0].id", equalTo("blue-square"));
    }

    @Test
    void aMigrationResumesAfterItsServiceIsKilledWithNothingCopiedTwiceOrSkipped() throws Exception {
        textCollection("resumed", 300);
        String id = as(Platform.KEY_A).body(Map.of("model", SECOND)).post("/v1/collections/resumed/migrations")
                .then().statusCode(202).extract().path("id");
        long copied = 0;
        for (int i = 0; i < 300 && copied < 40; i++) {
            Thread.sleep(50);
            copied = as(Platform.KEY_A).get("/v1/collections/resumed/migrations/" + id).jsonPath().getLong("done");
        }
        assertTrue(copied >= 40 && copied < 300, "copied " + copied + " before the kill");
        Platform.killRetrieval();
        Platform.startRetrieval();

        JsonPath done = awaitEnd("resumed", id);
        assertEquals("succeeded", done.getString("state"), done.prettify());
        // Each item copied once: the scan's count is exact (a batch lost with the process was copied again, its
        // count with it, once), and the collection holds every item with a vector of the new model.
        assertEquals(300, done.getLong("done"));
        assertEquals(300, done.getLong("total"));
        as(Platform.KEY_A).get("/v1/collections/resumed").then().statusCode(200).body("model", equalTo(SECOND))
                .body("counts.text", equalTo(300));
        for (String item : List.of("t-000", "t-150", "t-299")) {
            as(Platform.KEY_A).get("/v1/collections/resumed/items/" + item + "?include=vector").then()
                    .statusCode(200).body("vector", hasSize(96));
        }
    }

    @Test
    void aCancelledMigrationLeavesTheCollectionOnItsModel() throws Exception {
        textCollection("cancelled", 300);
        String id = as(Platform.KEY_A).body(Map.of("model", SECOND)).post("/v1/collections/cancelled/migrations")
                .then().statusCode(202).extract().path("id");
        as(Platform.KEY_A).get("/v1/collections/cancelled").then().body("migration.id", equalTo(id));
        as(Platform.KEY_B).delete("/v1/collections/cancelled/migrations/" + id).then().statusCode(404);
        as(Platform.KEY_A).delete("/v1/collections/cancelled/migrations/" + id).then().statusCode(200)
                .body("state", equalTo("cancelled"));
        Thread.sleep(500);
        as(Platform.KEY_A).get("/v1/collections/cancelled/migrations/" + id).then().body("state", equalTo("cancelled"));
        as(Platform.KEY_A).get("/v1/collections/cancelled").then().statusCode(200).body("model", equalTo(DEFAULT))
                .body("dimension", equalTo(128)).body("counts.text", equalTo(300));
        as(Platform.KEY_A).body(Map.of("query", Map.of("text", "note 3"), "top_k", 1))
                .post("/v1/collections/cancelled/search").then().statusCode(200).body("model", equalTo(DEFAULT));
    }

    @Test
    void whatCannotMoveIsRefusedWithAProblem() {
        as(Platform.KEY_A).body(Map.of("name", "thumbs-only")).post("/v1/collections").then().statusCode(201);
        as(Platform.KEY_A).body(Map.of("items", List.of(Map.of("id", "cat", "image", base64("wide.png")))))
                .post("/v1/collections/thumbs-only/items").then().statusCode(200);
        as(Platform.KEY_A).body(Map.of("model", SECOND)).post("/v1/collections/thumbs-only/migrations").then()
                .statusCode(409).contentType("application/problem+json").body("type", equalTo(PROBLEMS + "conflict"))
                .body("detail", equalTo("Collection thumbs-only keeps media thumbnail: its 1 image items cannot be"
                        + " embedded again (a thumbnail is not good enough); only a collection created with media"
                        + " original keeps what a new model needs."));
        as(Platform.KEY_A).body(Map.of("model", "openai/clip-vit-b-32")).post("/v1/collections/thumbs-only/migrations")
                .then().statusCode(404);
        Gateway.invalid(Platform.KEY_A).body(Map.of()).post("/v1/collections/thumbs-only/migrations").then()
                .statusCode(400).body("detail", equalTo("model is required: the id of a served model (GET /v1/models)."));
        as(Platform.KEY_A).body(Map.of("model", DEFAULT)).post("/v1/collections/thumbs-only/migrations").then()
                .statusCode(409).body("detail", equalTo("Collection thumbs-only holds " + DEFAULT + " already."));
        as(Platform.KEY_B).body(Map.of("model", SECOND)).post("/v1/collections/thumbs-only/migrations").then()
                .statusCode(404);
    }

    private static void textCollection(String name, int n) {
        as(Platform.KEY_A).body(Map.of("name", name, "media", "none")).post("/v1/collections").then().statusCode(201);
        for (int from = 0; from < n; from += 150) {
            List<Map<String, Object>> items = new ArrayList<>();
            for (int i = from; i < Math.min(n, from + 150); i++) {
                items.add(Map.of("id", String.format("t-%03d", i), "text", "note " + i));
            }
            as(Platform.KEY_A).body(Map.of("items", items)).post("/v1/collections/" + name + "/items").then()
                    .statusCode(200);
        }
    }

    private static JsonPath awaitEnd(String collection, String id) throws InterruptedException {
        JsonPath j = null;
        for (int i = 0; i < 600; i++) {
            j = as(Platform.KEY_A).get("/v1/collections/" + collection + "/migrations/" + id).jsonPath();
            String state = j.getString("state");
            if (!"queued".equals(state) && !"running".equals(state)) {
                return j;
            }
            Thread.sleep(100);
        }
        throw new AssertionError("migration " + id + " did not end in 60 s: " + (j == null ? "" : j.prettify()));
    }
}
