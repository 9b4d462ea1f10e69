package dev.sightline.embed.api;

import static io.restassured.RestAssured.given;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.startsWith;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.sightline.embed.support.Api;
import dev.sightline.embed.support.Fixture;
import dev.sightline.embed.support.Images;
import dev.sightline.testsupport.TestCredential;
import io.quarkus.test.common.http.TestHTTPResource;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.http.ContentType;
import io.restassured.response.ValidatableResponse;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.Socket;
import java.net.URL;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.Random;
import org.junit.jupiter.api.Test;

/** Every bad input gets a 4xx application/problem+json answer, and the service keeps working afterwards. */
@QuarkusTest
class BadInputTest {

    private static final String IMAGE = Api.base64(Fixture.bytes("images/wide.png"));

    @TestHTTPResource("/")
    URL base;

    private static ValidatableResponse problem(ValidatableResponse r, int status, String type) {
        return r.statusCode(status).contentType("application/problem+json")
                .body("status", equalTo(status)).body("type", equalTo("https://sightline.dev/problems/" + type))
                .body("title", org.hamcrest.Matchers.notNullValue());
    }

    private static ValidatableResponse postJson(String path, String body) {
        return given().contentType(ContentType.JSON).body(body).when().post(path).then();
    }

    /** A classification body; labels and templates are JSON text, so escapes such as \\u0000 reach the service. */
    private static String classify(String labels, String templates) {
        return "{\"image\":\"" + IMAGE + "\",\"labels\":" + labels + (templates == null ? "" : ",\"templates\":" + templates) + "}";
    }

    private static String classifyWithTopK(String topK) {
        return "{\"image\":\"" + IMAGE + "\",\"labels\":[\"a\",\"b\"],\"top_k\":" + topK + "}";
    }

    @Test
    void rejectsMalformedJson() {
        problem(postJson("/embed/text", "{\"texts\": [\"a\""), 400, "invalid-json");
    }

    @Test
    void rejectsWrongJsonTypes() {
        problem(postJson("/embed/text", "{\"texts\": \"not a list\"}"), 400, "invalid-json")
                .body("detail", startsWith("Invalid value at 'texts'"));
    }

    @Test
    void rejectsMissingAndEmptyTextLists() {
        problem(postJson("/embed/text", "{}"), 400, "invalid-request");
        problem(postJson("/embed/text", "{\"texts\": []}"), 400, "invalid-request");
        problem(postJson("/embed/text", "{\"texts\": [null]}"), 400, "invalid-request");
    }

    @Test
    void rejectsEmptyText() {
        problem(postJson("/embed/text", "{\"texts\": [\"ok\", \"   \"]}"), 400, "invalid-request")
                .body("detail", equalTo("Text 1 is empty."));
    }

    @Test
    void rejectsTextOverCharacterLimit() {
        problem(given().contentType(ContentType.JSON).body(Map.of("texts", List.of("a".repeat(4097)))).post("/embed/text")
                .then(), 400, "text-too-long");
    }

    @Test
    void rejectsTooManyTexts() {
        problem(given().contentType(ContentType.JSON).body(Map.of("texts", Collections.nCopies(257, "a"))).post("/embed/text")
                .then(), 413, "payload-too-large");
    }

    @Test
    void rejectsUnknownEncoding() {
        problem(postJson("/embed/text", "{\"texts\": [\"a\"], \"encoding\": \"int8\"}"), 400, "invalid-request");
    }

    @Test
    void rejectsInvalidBase64() {
        problem(postJson("/embed/image", "{\"images\": [\"***not base64***\"]}"), 400, "invalid-encoding");
        problem(postJson("/embed/image", "{\"images\": [\"data:image/png,abc\"]}"), 400, "invalid-encoding");
    }

    @Test
    void rejectsCorruptImage() {
        byte[] png = Fixture.bytes("images/wide.png");
        byte[] truncated = Arrays.copyOf(png, png.length / 3);
        problem(given().contentType(ContentType.JSON).body(Map.of("images", List.of(Api.base64(truncated))))
                .post("/embed/image").then(), 422, "invalid-image");
    }

    @Test
    void rejectsUnsupportedFormat() {
        byte[] pdf = "%PDF-1.4 not an image".getBytes(StandardCharsets.US_ASCII);
        problem(given().contentType(ContentType.JSON).body(Map.of("images", List.of(Api.base64(pdf))))
                .post("/embed/image").then(), 415, "unsupported-media-type");
    }

    @Test
    void rejectsImageOverPixelLimitBeforeDecoding() {
        byte[] bomb = Images.pngHeaderClaiming(60000, 60000);
        problem(given().contentType(ContentType.JSON).body(Map.of("images", List.of(Api.base64(bomb))))
                .post("/embed/image").then(), 413, "payload-too-large");
    }

    @Test
    void rejectsImageBelowMinimumSide() {
        byte[] tiny = Images.disc(4, 40, java.awt.Color.RED);
        problem(given().contentType(ContentType.JSON).body(Map.of("images", List.of(Api.base64(tiny))))
                .post("/embed/image").then(), 422, "invalid-image");
    }

    @Test
    void rejectsMultipartWithoutFiles() {
        problem(given().multiPart("encoding", "float").post("/embed/image").then(), 400, "invalid-request");
    }

    @Test
    void rejectsClassificationWithOneLabelDuplicateLabelsOrTemplateWithoutSlot() {
        String img = Api.base64(Fixture.bytes("images/wide.png"));
        problem(given().contentType(ContentType.JSON).body(Map.of("image", img, "labels", List.of("cat")))
                .post("/classify").then(), 400, "invalid-request");
        problem(given().contentType(ContentType.JSON).body(Map.of("image", img, "labels", List.of("cat", "cat")))
                .post("/classify").then(), 400, "invalid-request");
        problem(given().contentType(ContentType.JSON)
                .body(Map.of("image", img, "labels", List.of("cat", "dog"), "templates", List.of("a photo")))
                .post("/classify").then(), 400, "invalid-request");
        problem(postJson("/classify", "{\"labels\": [\"cat\", \"dog\"]}"), 400, "invalid-request");
    }

    @Test
    void embedsTextsWithNulControlCharactersLoneSurrogatesAndHugeUnicode() {
        String body = "{\"texts\":[\"a\\u0000b\",\"\\u0001\\u001f\\u007f\\u0085\\u2028\",\"x\\ud800y\",\"\\udc00\","
                + "\"" + "\\ufdfa".repeat(4096) + "\",\"" + "\\ud83d\\ude00".repeat(2048) + "\",\"<|endoftext|>\"]}";
        postJson("/embed/text", body).statusCode(200).body("embeddings.size()", equalTo(7))
                .body("tokens", equalTo(List.of(5, 5, 7, 5, 77, 77, 3)));
    }

    @Test
    void refusesTextsLabelsTemplatesAndImagesThatAreNotJsonStrings() {
        problem(postJson("/embed/text", "{\"texts\":[1]}"), 400, "invalid-json")
                .body("detail", equalTo("Invalid value at 'texts[0]'."));
        problem(postJson("/embed/text", "{\"texts\":[\"a\", true]}"), 400, "invalid-json")
                .body("detail", equalTo("Invalid value at 'texts[1]'."));
        problem(postJson("/embed/text", "{\"texts\":[1.5]}"), 400, "invalid-json");
        problem(postJson("/embed/text", "{\"texts\":[{}]}"), 400, "invalid-json");
        problem(postJson("/embed/image", "{\"images\":[1]}"), 400, "invalid-json")
                .body("detail", equalTo("Invalid value at 'images[0]'."));
        problem(postJson("/embed/image", "{\"images\":[true]}"), 400, "invalid-json");
        problem(postJson("/embed/image", "{\"images\":[[\"a\"]]}"), 400, "invalid-json");
        problem(postJson("/classify", "{\"image\":123,\"labels\":[\"a\",\"b\"]}"), 400, "invalid-json")
                .body("detail", equalTo("Invalid value at 'image'."));
        problem(postJson("/classify", "{\"image\":{},\"labels\":[\"a\",\"b\"]}"), 400, "invalid-json");
        problem(postJson("/classify", classify("[1,2]", null)), 400, "invalid-json")
                .body("detail", equalTo("Invalid value at 'labels[0]'."));
        problem(postJson("/classify/labels", "{\"labels\":[\"a\",\"b\"],\"templates\":[false]}"), 400, "invalid-json")
                .body("detail", equalTo("Invalid value at 'templates[0]'."));
        problem(postJson("/embed/text", "{\"texts\":[\"a\"],\"encoding\":5}"), 400, "invalid-json");
    }

    @Test
    void refusesDataUrisThatAreNotImages() {
        problem(postJson("/embed/image", "{\"images\":[\"data:text/plain;base64,aGVsbG8=\"]}"), 415,
                "unsupported-media-type").body("detail", equalTo("Image 0: The data URI's media type is not an image type (image/...)."));
        problem(postJson("/embed/image", "{\"images\":[\"data:application/pdf;base64," + IMAGE + "\"]}"), 415,
                "unsupported-media-type");
        problem(postJson("/embed/image", "{\"images\":[\"data:image/svg+xml;base64,PHN2Zy8+\"]}"), 415,
                "unsupported-media-type").body("detail", equalTo("not a PNG, JPEG, GIF, BMP or WebP image"));
        problem(postJson("/classify", "{\"image\":\"data:text/html;base64,PGI+\",\"labels\":[\"a\",\"b\"]}"), 415,
                "unsupported-media-type");
        problem(postJson("/embed/image", "{\"images\":[\"http://example.com/a.png\"]}"), 400, "invalid-encoding");
        postJson("/embed/image", "{\"images\":[\"data:image/png;base64," + IMAGE + "\"]}").statusCode(200);
    }

    @Test
    void refusesTopKOutOfRange() {
        problem(postJson("/classify", classifyWithTopK("0")), 400, "invalid-request")
                .body("detail", equalTo("topK: must be greater than 0"));
        problem(postJson("/classify", classifyWithTopK("-1")), 400, "invalid-request");
        problem(postJson("/classify", classifyWithTopK("2147483648")), 400, "invalid-json")
                .body("detail", equalTo("Invalid value at 'top_k'."));
        problem(postJson("/classify", classifyWithTopK("1e300")), 400, "invalid-json");
        problem(postJson("/classify", classifyWithTopK("1" + "0".repeat(400))), 400, "invalid-json");
        problem(postJson("/classify", classifyWithTopK("1.5")), 400, "invalid-json");
        problem(postJson("/classify", classifyWithTopK("\"1\"")), 400, "invalid-json");
        // More than there are labels is every label.
        postJson("/classify", classifyWithTopK("2147483647")).statusCode(200)
                .body("predictions.size()", equalTo(2));
    }

    @Test
    void classifiesWithNulAndControlCharactersInLabelsAndTemplatesAndEchoesThemIntact() {
        postJson("/classify", classify("[\"a\\u0000\",\"b\\u0001\\u2028\"]", "[\"{}\\u0000\",\"\\u007f{}\"]"))
                .statusCode(200).body("predictions.label", org.hamcrest.Matchers.containsInAnyOrder("a\u0000", "b\u0001\u2028"));
        postJson("/classify/labels", "{\"labels\":[\"a\",\"b\"],\"templates\":[\"{}\\u0000\"]}").statusCode(200)
                .body("templates", equalTo(List.of("{}\u0000")));
    }

    @Test
    void refusesLabelsAndTemplatesThatAreNotWellFormedUnicode() {
        problem(postJson("/classify", classify("[\"a\\ud800\",\"b\"]", null)), 400, "invalid-request")
                .body("detail", equalTo("Label 0 is not well-formed Unicode (unpaired surrogate at index 1)."));
        problem(postJson("/classify/labels", "{\"labels\":[\"a\",\"b\"],\"templates\":[\"{}\\udc00\"]}"), 400,
                "invalid-request").body("detail", equalTo("Template 0 is not well-formed Unicode (unpaired surrogate at index 2)."));
    }

    @Test
    void refusesLabelsTemplatesAndPromptCountsOverTheirLimitsBeforeBuildingPrompts() {
        problem(given().contentType(ContentType.JSON).body(Map.of("labels", List.of("cat", "c".repeat(257))))
                .post("/classify/labels").then(), 413, "payload-too-large")
                .body("detail", equalTo("Label 1 has 257 characters; the limit is 256."));
        problem(given().contentType(ContentType.JSON)
                .body(Map.of("labels", List.of("cat", "dog"), "templates", List.of("{}" + "t".repeat(255))))
                .post("/classify/labels").then(), 413, "payload-too-large")
                .body("detail", equalTo("Template 0 has 257 characters; the limit is 256."));
        List<String> labels = new java.util.ArrayList<>();
        for (int i = 0; i < 1000; i++) {
            labels.add("label " + i);
        }
        problem(given().contentType(ContentType.JSON)
                .body(Map.of("image", IMAGE, "labels", labels, "templates", Collections.nCopies(9, "a {}")))
                .post("/classify").then(), 413, "payload-too-large")
                .body("detail", equalTo("1000 labels x 9 templates make 9000 prompts; the limit is 8192."));
        // The blow-up: every {} takes the label, so 128 slots and a 256-character label would make prompts
        // of 32,768 characters each.
        problem(given().contentType(ContentType.JSON)
                .body(Map.of("labels", List.of("cat", "d".repeat(256)), "templates", List.of("{}".repeat(128))))
                .post("/classify/labels").then(), 413, "payload-too-large")
                .body("detail", equalTo("Template 0 with the longest label makes a prompt of 32768 characters; the limit is 4096."));
    }

    @Test
    void answersUnknownPathsAndMethodsAndMediaTypesWithProblems() {
        problem(given().get("/nope").then(), 404, "not-found");
        problem(given().get("/embed/text").then(), 405, "method-not-allowed");
        problem(given().contentType(ContentType.TEXT).body("hello").post("/embed/text").then(), 415,
                "unsupported-media-type");
    }

    @Test
    void rejectsDeclaredBodyOverRequestLimitBeforeReadingIt() throws Exception {
        try (Socket s = new Socket(base.getHost(), base.getPort())) {
            s.setSoTimeout(10_000);
            OutputStream out = s.getOutputStream();
            out.write(("POST /embed/text HTTP/1.1\r\nHost: localhost\r\nContent-Type: application/json\r\n"
                    + "Authorization: " + TestCredential.AUTHORIZATION + "\r\n"
                    + "Content-Length: 50000000\r\n\r\n{\"texts\":").getBytes(StandardCharsets.US_ASCII));
            out.flush();
            InputStream in = s.getInputStream();
            // The server answers without reading the body and closes the connection.
            String response = new String(in.readAllBytes(), StandardCharsets.UTF_8);
            assertTrue(response.startsWith("HTTP/1.1 413"), response);
            assertTrue(response.contains("application/problem+json"), response);
        }
    }

    @Test
    void keepsAnsweringCorrectlyAfterABarrageOfBadInput() {
        float[] before = Api.imageEmbedding(Fixture.bytes("images/wide.png"));
        float[] textBefore = Api.textEmbedding("a red circle");
        byte[] jpeg = Fixture.bytes("images/tall.jpg");
        Random random = new Random(7);
        for (int i = 0; i < 150; i++) {
            byte[] mutated = jpeg.clone();
            for (int j = 0; j < 20; j++) {
                mutated[20 + random.nextInt(mutated.length - 20)] = (byte) random.nextInt(256);
            }
            int status = given().contentType(ContentType.JSON).body(Map.of("images", List.of(Api.base64(mutated))))
                    .post("/embed/image").then().extract().statusCode();
            assertTrue(status == 200 || (status >= 400 && status < 500), "status " + status + " for mutation " + i);
        }
        for (int i = 0; i < 30; i++) {
            postJson("/embed/text", "{\"texts\": [" + "\"x\",".repeat(i) + "]}").statusCode(400);
        }
        assertArrayEquals(before, Api.imageEmbedding(Fixture.bytes("images/wide.png")));
        assertArrayEquals(textBefore, Api.textEmbedding("a red circle"));
    }
}
