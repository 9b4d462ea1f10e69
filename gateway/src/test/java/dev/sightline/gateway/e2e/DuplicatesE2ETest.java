package dev.sightline.gateway.e2e;

import static dev.sightline.gateway.support.Gateway.as;
import static org.hamcrest.Matchers.contains;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.nullValue;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.sightline.gateway.support.Gateway;
import dev.sightline.gateway.support.Platform;
import dev.sightline.gateway.support.ShapeImages;
import dev.sightline.gateway.support.ShapeImages.Shape;
import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.junit.QuarkusTest;
import java.awt.Graphics2D;
import java.awt.RenderingHints;
import java.awt.image.BufferedImage;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.util.ArrayList;
import java.util.Base64;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import javax.imageio.IIOImage;
import javax.imageio.ImageIO;
import javax.imageio.ImageWriteParam;
import javax.imageio.ImageWriter;
import org.junit.jupiter.api.Test;

/**
 * Near-duplicates through the gateway with the real model: copies of drawings re-encoded (JPEG quality 70), resized
 * (80 %) and cropped (2 % a side) by Java's own image code are grouped with their original, and two different
 * drawings of the same class are not; at ingest, copies are skipped, kept or replace their original.
 */
@QuarkusTest
@QuarkusTestResource(Platform.class)
class DuplicatesE2ETest {

    private static BufferedImage read(byte[] bytes) throws IOException {
        BufferedImage img = ImageIO.read(new ByteArrayInputStream(bytes));
        BufferedImage rgb = new BufferedImage(img.getWidth(), img.getHeight(), BufferedImage.TYPE_INT_RGB);
        rgb.getGraphics().drawImage(img, 0, 0, null);
        return rgb;
    }

    private static String jpeg(BufferedImage img, float quality) throws IOException {
        ImageWriter writer = ImageIO.getImageWritersByFormatName("jpeg").next();
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        ImageWriteParam p = writer.getDefaultWriteParam();
        p.setCompressionMode(ImageWriteParam.MODE_EXPLICIT);
        p.setCompressionQuality(quality);
        try (var ios = ImageIO.createImageOutputStream(out)) {
            writer.setOutput(ios);
            writer.write(null, new IIOImage(img, null, null), p);
        }
        writer.dispose();
        return Base64.getEncoder().encodeToString(out.toByteArray());
    }

    private static String png(BufferedImage img) throws IOException {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        ImageIO.write(img, "png", out);
        return Base64.getEncoder().encodeToString(out.toByteArray());
    }

    private static BufferedImage resized(BufferedImage img, double f) {
        int w = (int) Math.round(img.getWidth() * f);
        int h = (int) Math.round(img.getHeight() * f);
        BufferedImage out = new BufferedImage(w, h, BufferedImage.TYPE_INT_RGB);
        Graphics2D g = out.createGraphics();
        g.setRenderingHint(RenderingHints.KEY_INTERPOLATION, RenderingHints.VALUE_INTERPOLATION_BICUBIC);
        g.drawImage(img, 0, 0, w, h, null);
        g.dispose();
        return out;
    }

    private static BufferedImage cropped(BufferedImage img, double side) {
        int dx = (int) Math.round(img.getWidth() * side);
        int dy = (int) Math.round(img.getHeight() * side);
        return img.getSubimage(dx, dy, img.getWidth() - 2 * dx, img.getHeight() - 2 * dy);
    }

    /** The three copies of a drawing, by id suffix. */
    private static Map<String, String> copies(Shape s) throws IOException {
        BufferedImage img = read(s.bytes());
        return Map.of("jpeg70", jpeg(img, 0.7f), "small", png(resized(img, 0.8)), "crop", png(cropped(img, 0.02)));
    }

    private static void upload(String collection, List<Map<String, Object>> items) {
        for (int from = 0; from < items.size(); from += 32) {
            as(Platform.KEY_A).body(Map.of("items", items.subList(from, Math.min(items.size(), from + 32))))
                    .post("/v1/collections/" + collection + "/items").then().statusCode(200);
        }
    }

    @Test
    void copiesAreGroupedWithTheirOriginalAndOtherDrawingsOfTheClassAreNot() throws IOException {
        // Two drawings of every class (two seeds), and three copies of each of the first ten.
        List<Shape> first = ShapeImages.draw(81, 40, null);
        List<Shape> second = ShapeImages.draw(82, 40, null);
        as(Platform.KEY_A).body(Map.of("name", "dups", "media", "none")).post("/v1/collections").then()
                .statusCode(201);
        List<Map<String, Object>> items = new ArrayList<>();
        Map<String, String> original = new HashMap<>();
        for (int i = 0; i < 40; i++) {
            String a = String.format("a%02d-%s-%s", i, first.get(i).colour(), first.get(i).shape());
            String b = String.format("b%02d-%s-%s", i, second.get(i).colour(), second.get(i).shape());
            items.add(Map.of("id", a, "image", first.get(i).base64()));
            items.add(Map.of("id", b, "image", second.get(i).base64()));
            original.put(a, a);
            original.put(b, b);
            if (i < 10) {
                for (Map.Entry<String, String> c : copies(first.get(i)).entrySet()) {
                    items.add(Map.of("id", a + "." + c.getKey(), "image", c.getValue()));
                    original.put(a + "." + c.getKey(), a);
                }
            }
        }
        upload("dups", items);
        // The default (0.98): no group joins two drawings, and every JPEG and resized copy is with its original;
        // a 2 % crop moves an embedding more, and one of the ten falls below it. At 0.97 all ten crops are in, and
        // two different yellow squares are grouped too: the bundled model knows classes better than drawings.
        for (Float threshold : new Float[] {null, 0.97f}) {
            Map<String, Object> body = new HashMap<>(Map.of("modality", "image"));
            if (threshold != null) {
                body.put("threshold", threshold);
            }
            io.restassured.path.json.JsonPath found = as(Platform.KEY_A).body(body)
                    .post("/v1/collections/dups/duplicates").then().statusCode(200)
                    .body("threshold", equalTo(threshold == null ? 0.98f : threshold)).body("scanned", equalTo(110))
                    .extract().jsonPath();
            List<List<String>> groups = found.getList("groups.ids");
            int predicted = 0;
            int correct = 0;
            Set<String> grouped = new HashSet<>();
            for (List<String> g : groups) {
                Set<String> originals = new HashSet<>();
                for (int x = 0; x < g.size(); x++) {
                    originals.add(original.get(g.get(x)));
                    for (int y = x + 1; y < g.size(); y++) {
                        predicted++;
                        correct += original.get(g.get(x)).equals(original.get(g.get(y))) ? 1 : 0;
                    }
                }
                if (threshold == null) {
                    assertEquals(1, originals.size(), "a group joins different drawings: " + g);
                }
                grouped.addAll(g);
            }
            System.out.printf("duplicates at %s: %d groups, pair precision %.3f, recall %.3f%n",
                    found.getString("threshold"), groups.size(), predicted == 0 ? 0 : correct / (double) predicted,
                    correct / (double) (10 * 6));
            for (int i = 0; i < 10; i++) {
                String a = String.format("a%02d-%s-%s", i, first.get(i).colour(), first.get(i).shape());
                for (String copy : threshold == null ? List.of(a, a + ".jpeg70", a + ".small")
                        : List.of(a, a + ".jpeg70", a + ".small", a + ".crop")) {
                    assertTrue(grouped.contains(copy), copy + " is in no group: " + groups);
                }
            }
        }
        as(Platform.KEY_B).body(Map.of()).post("/v1/collections/dups/duplicates").then().statusCode(404);
        Gateway.invalid(Platform.KEY_A).body(Map.of("threshold", 0.1)).post("/v1/collections/dups/duplicates").then()
                .statusCode(400);
        as(Platform.KEY_A).delete("/v1/collections/dups").then().statusCode(204);
    }

    @Test
    void atIngestCopiesAreSkippedKeptOrReplaceTheirOriginal() throws IOException {
        List<Shape> drawn = ShapeImages.draw(81, 40, null);
        Map<String, String> copies = copies(drawn.get(3));
        as(Platform.KEY_A).body(Map.of("name", "ingest-dups")).post("/v1/collections").then().statusCode(201);
        as(Platform.KEY_A).body(Map.of("items", List.of(Map.of("id", "orig", "image", drawn.get(3).base64()),
                Map.of("id", "other", "image", drawn.get(4).base64())))).post("/v1/collections/ingest-dups/items")
                .then().statusCode(200).body("items", nullValue());
        as(Platform.KEY_A).body(Map.of("on_duplicate", "skip", "items", List.of(
                Map.of("id", "copy-jpeg", "image", copies.get("jpeg70")),
                Map.of("id", "fresh", "image", drawn.get(5).base64()),
                Map.of("id", "fresh-again", "image", drawn.get(5).base64()))))
                .post("/v1/collections/ingest-dups/items").then().statusCode(200).body("upserted", equalTo(1))
                .body("items.status", contains("skipped", "stored", "skipped"))
                .body("items.duplicate_of", contains("orig", null, "fresh"));
        as(Platform.KEY_A).get("/v1/collections/ingest-dups/items/copy-jpeg").then().statusCode(404);
        as(Platform.KEY_A).body(Map.of("on_duplicate", "keep", "items", List.of(Map.of("id", "copy-small", "image",
                copies.get("small"))))).post("/v1/collections/ingest-dups/items").then().statusCode(200)
                .body("items[0].status", equalTo("stored")).body("items[0].duplicate_of", equalTo("orig"));
        // Replace: the copy is stored and what it duplicates (orig, and copy-small too: the closest one) goes.
        String replaced = as(Platform.KEY_A).body(Map.of("on_duplicate", "replace", "duplicate_threshold", 0.97,
                "items", List.of(Map.of("id", "copy-crop", "image", copies.get("crop")))))
                .post("/v1/collections/ingest-dups/items").then().statusCode(200)
                .body("items[0].status", equalTo("stored")).body("items[0].replaced", equalTo(true)).extract()
                .path("items[0].duplicate_of");
        assertTrue(replaced.equals("orig") || replaced.equals("copy-small"), replaced);
        as(Platform.KEY_A).get("/v1/collections/ingest-dups/items/" + replaced).then().statusCode(404);
        as(Platform.KEY_A).get("/v1/collections/ingest-dups/items/other").then().statusCode(200);
        // The thumbnail of a replaced item goes with it; the new item has its own.
        as(Platform.KEY_A).get("/v1/collections/ingest-dups/items/copy-crop/thumbnail").then().statusCode(200);
        Gateway.invalid(Platform.KEY_A).body(Map.of("on_duplicate", "merge", "items", List.of(Map.of("id", "x",
                "text", "a")))).post("/v1/collections/ingest-dups/items").then().statusCode(400)
                .body("detail", equalTo("on_duplicate must be keep, skip or replace."));
        io.restassured.RestAssured.given().filter(Gateway.responsesOnly())
                .header("Authorization", "Bearer " + Platform.KEY_A).multiPart("on_duplicate", "skip")
                .multiPart("file", "again.jpg", Base64.getDecoder().decode(copies.get("jpeg70")), "image/jpeg")
                .post("/v1/collections/ingest-dups/items").then().statusCode(200)
                .body("items[0].status", equalTo("skipped"));
        as(Platform.KEY_A).delete("/v1/collections/ingest-dups").then().statusCode(204);
    }
}
