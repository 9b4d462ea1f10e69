package dev.sightline.gateway.e2e;

import static dev.sightline.gateway.support.Gateway.as;
import static dev.sightline.gateway.support.Gateway.base64;
import static org.hamcrest.Matchers.contains;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.hasItem;
import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.sightline.gateway.support.Platform;
import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.path.json.JsonPath;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;

/** The product through the gateway, with all three services and a real PostgreSQL; every call checked against the contract. */
@QuarkusTest
@QuarkusTestResource(Platform.class)
@TestMethodOrder(MethodOrderer.MethodName.class)
class PlatformE2ETest {

    /** Fixture image → what it shows. */
    static final Map<String, String> IMAGES = new LinkedHashMap<>();

    static {
        IMAGES.put("wide.png", "red circle");
        IMAGES.put("tall.jpg", "blue square");
        IMAGES.put("large.jpg", "yellow star");
        IMAGES.put("tiny.png", "green triangle");
        IMAGES.put("image.bmp", "yellow triangle");
        IMAGES.put("animated.gif", "green circle");
        IMAGES.put("exif-rotated.jpg", "blue star");
        IMAGES.put("cmyk.jpg", "red cross");
        IMAGES.put("palette.png", "orange square");
        IMAGES.put("rgba.png", "purple triangle");
    }

    static String id(String file) {
        return file.replace('.', '-');
    }

    private static boolean indexed;

    /** Once per class; in @BeforeEach because RestAssured points at the test port only from then on. */
    @BeforeEach
    void index() {
        if (indexed) {
            return;
        }
        indexed = true;
        as(Platform.KEY_A).body(Map.of("name", "shapes")).post("/v1/collections").then().statusCode(201)
                .body("dimension", equalTo(128)).body("model", equalTo("sightline/tiny-clip"));
        List<Map<String, Object>> items = new ArrayList<>();
        IMAGES.forEach((file, what) -> {
            items.add(Map.of("id", id(file), "image", base64(file), "metadata", Map.of("shows", what)));
            items.add(Map.of("id", "cap-" + what.replace(' ', '-'), "text", "a photo of a " + what + ".",
                    "metadata", Map.of("shows", what)));
        });
        as(Platform.KEY_A).body(Map.of("items", items)).post("/v1/collections/shapes/items").then().statusCode(200)
                .body("upserted", equalTo(20));
    }

    @Test
    void textToImageFindsTheRightShapes() {
        IMAGES.forEach((file, what) -> as(Platform.KEY_A).body(Map.of("text", "a photo of a " + what + ".", "top_k", 3))
                .post("/v1/collections/shapes/text-to-image").then().statusCode(200)
                .body("results[0].id", equalTo(id(file))).body("results.modality", contains("image", "image", "image")));
    }

    @Test
    void imageToTextFindsTheRightCaptions() {
        IMAGES.forEach((file, what) -> as(Platform.KEY_A).body(Map.of("image", base64(file), "top_k", 2))
                .post("/v1/collections/shapes/image-to-text").then().statusCode(200)
                .body("results[0].id", equalTo("cap-" + what.replace(' ', '-')))
                .body("results[0].text", equalTo("a photo of a " + what + ".")));
    }

    @Test
    void searchAcceptsEveryQueryKindAndFilters() {
        as(Platform.KEY_A).body(Map.of("query", Map.of("item_id", "wide-png"), "modality", "text", "top_k", 1))
                .post("/v1/collections/shapes/search").then().statusCode(200)
                .body("results[0].id", equalTo("cap-red-circle"));
        as(Platform.KEY_A).body(Map.of("query", Map.of("text", "a red circle"), "filter", Map.of("shows", "blue star")))
                .post("/v1/collections/shapes/search").then().statusCode(200)
                .body("results.id", org.hamcrest.Matchers.containsInAnyOrder("exif-rotated-jpg", "cap-blue-star"));
        JsonPath embedded = as(Platform.KEY_A).body(Map.of("model", "sightline/tiny-clip", "input", "a yellow star"))
                .post("/v1/embeddings").then().statusCode(200).extract().jsonPath();
        as(Platform.KEY_A).body(Map.of("query", Map.of("vector", embedded.getList("data[0].embedding")),
                "modality", "image", "top_k", 1)).post("/v1/collections/shapes/search").then().statusCode(200)
                .body("results[0].id", equalTo("large-jpg"));
    }

    @Test
    void classifiesAdHocAndWithASavedClassifier() {
        List<String> labels = List.of("red circle", "blue square", "yellow star", "green triangle");
        as(Platform.KEY_A).body(Map.of("image", base64("large.jpg"), "labels", labels)).post("/v1/classify").then()
                .statusCode(200).body("predictions[0].label", equalTo("yellow star"));
        as(Platform.KEY_A).body(Map.of("labels", labels, "templates", List.of("a photo of a {}.", "a drawing of a {}.")))
                .put("/v1/classifiers/shapes").then().statusCode(201).body("labels", equalTo(labels));
        IMAGES.forEach((file, what) -> {
            if (labels.contains(what)) {
                as(Platform.KEY_A).body(Map.of("image", base64(file), "top_k", 2)).post("/v1/classifiers/shapes/classify")
                        .then().statusCode(200).body("predictions[0].label", equalTo(what))
                        .body("predictions.size()", equalTo(2));
            }
        });
        // The validator cannot read multipart bodies: only the answer is checked against the contract.
        io.restassured.RestAssured.given().filter(dev.sightline.gateway.support.Gateway.responsesOnly())
                .header("Authorization", "Bearer " + Platform.KEY_A)
                .multiPart("image", "tall.jpg", dev.sightline.gateway.support.Gateway.fixture("tall.jpg"), "image/jpeg")
                .multiPart("labels", "red circle").multiPart("labels", "blue square")
                .post("/v1/classify").then().statusCode(200).body("predictions[0].label", equalTo("blue square"));
        as(Platform.KEY_B).body(Map.of("image", base64("tall.jpg"))).post("/v1/classifiers/shapes/classify").then()
                .statusCode(404);
        // Listed for its tenant only, without label vectors.
        as(Platform.KEY_A).get("/v1/classifiers").then().statusCode(200)
                .body("classifiers.find { it.name == 'shapes' }.labels", equalTo(labels));
        as(Platform.KEY_B).get("/v1/classifiers").then().statusCode(200)
                .body("classifiers.find { it.name == 'shapes' }", org.hamcrest.Matchers.nullValue());
    }

    @Test
    void multipartUploadStoresImagesUnderTheirFileNames() {
        as(Platform.KEY_A).body(Map.of("name", "uploads")).post("/v1/collections").then().statusCode(201);
        io.restassured.RestAssured.given().filter(dev.sightline.gateway.support.Gateway.responsesOnly())
                .header("Authorization", "Bearer " + Platform.KEY_A)
                .multiPart("file", "star.jpg", dev.sightline.gateway.support.Gateway.fixture("large.jpg"), "image/jpeg")
                .multiPart("file", "circle.png", dev.sightline.gateway.support.Gateway.fixture("wide.png"), "image/png")
                .multiPart("metadata", "{\"source\":\"upload\"}")
                .post("/v1/collections/uploads/items").then().statusCode(200).body("upserted", equalTo(2));
        as(Platform.KEY_A).get("/v1/collections/uploads/items/star?include=vector").then().statusCode(200)
                .body("modality", equalTo("image")).body("metadata.source", equalTo("upload"))
                .body("vector.size()", equalTo(128));
        as(Platform.KEY_A).body(Map.of("text", "a yellow star", "top_k", 1))
                .post("/v1/collections/uploads/text-to-image").then().body("results[0].id", equalTo("star"));
    }

    @Test
    void collectionsCanBeListedReadAndDeleted() {
        as(Platform.KEY_A).body(Map.of("name", "temp", "dimension", 128)).post("/v1/collections").then().statusCode(201);
        as(Platform.KEY_A).body(Map.of("name", "temp")).post("/v1/collections").then().statusCode(200);
        as(Platform.KEY_A).get("/v1/collections").then().statusCode(200).body("collections.name", hasItem("temp"));
        as(Platform.KEY_A).get("/v1/collections/shapes").then().statusCode(200).body("counts.image", equalTo(10))
                .body("counts.text", equalTo(10));
        as(Platform.KEY_A).delete("/v1/collections/temp").then().statusCode(204);
        as(Platform.KEY_A).get("/v1/collections/temp").then().statusCode(404).contentType("application/problem+json");
    }

    @Test
    void anotherTenantCanNeitherSeeNorTouchTheData() {
        as(Platform.KEY_B).get("/v1/collections").then().statusCode(200).body("collections.size()", equalTo(0));
        as(Platform.KEY_B).get("/v1/collections/shapes").then().statusCode(404);
        as(Platform.KEY_B).get("/v1/collections/shapes/items/wide-png").then().statusCode(404);
        as(Platform.KEY_B).body(Map.of("text", "a red circle")).post("/v1/collections/shapes/text-to-image").then()
                .statusCode(404);
        as(Platform.KEY_B).body(Map.of("items", List.of(Map.of("id", "x", "text", "hi"))))
                .post("/v1/collections/shapes/items").then().statusCode(404);
        as(Platform.KEY_B).delete("/v1/collections/shapes/items/wide-png").then().statusCode(404);
        as(Platform.KEY_B).delete("/v1/collections/shapes").then().statusCode(404);
        as(Platform.KEY_A).get("/v1/collections/shapes").then().statusCode(200).body("counts.image", equalTo(10));
    }

    @Test
    void openAiStyleEmbeddingsMixTextAndImages() {
        JsonPath r = as(Platform.KEY_A).body(Map.of("model", "sightline/tiny-clip", "input", List.of(
                Map.of("type", "text", "text", "a red circle"),
                Map.of("type", "image_url", "image_url", Map.of("url", "data:image/png;base64," + base64("wide.png"))),
                Map.of("type", "text", "text", "a blue square"))))
                .post("/v1/embeddings").then().statusCode(200).body("object", equalTo("list"))
                .body("data.index", contains(0, 1, 2)).extract().jsonPath();
        assertEquals(128, r.getList("data[0].embedding").size());
        assertEquals(10, r.getInt("usage.prompt_tokens"));
        List<Float> image = r.getList("data[1].embedding", Float.class);
        double matching = cosine(r.getList("data[0].embedding", Float.class), image);
        double other = cosine(r.getList("data[2].embedding", Float.class), image);
        // wide.png shows a red circle: its embedding is nearer that text than another shape in another colour
        org.junit.jupiter.api.Assertions.assertTrue(matching > other + 0.2,
                "the red circle image: cosine " + matching + " to its text, " + other + " to a blue square");
        as(Platform.KEY_A).get("/v1/models").then().statusCode(200).body("data[0].id", equalTo("sightline/tiny-clip"))
                .body("data[0].dimensions", equalTo(128));
    }

    private static double cosine(List<Float> a, List<Float> b) {
        double dot = 0;
        for (int i = 0; i < a.size(); i++) {
            dot += a.get(i) * b.get(i);
        }
        return dot; // both are unit vectors
    }
}
