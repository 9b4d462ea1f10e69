package dev.sightline.gateway.e2e;

import static io.restassured.RestAssured.given;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.equalTo;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.sightline.gateway.support.Platform;
import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.common.http.TestHTTPResource;
import io.quarkus.test.junit.QuarkusTest;
import java.net.URL;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/**
 * The web console served by the gateway: its security headers, and the user's whole flow in Debian's Chromium
 * (src/test/console/console.mjs: sign in, create a collection, upload the demo's images by drag and drop and by
 * keyboard, search "a green star" by vector and hybrid (each result's matched rankings), more like this, search by
 * image, classify with typed labels and a saved classifier, a moderation policy made with the form, images tested
 * against it (reject, allow), a collection applying it whose upload refuses the triangle with its reason, a policy
 * in use that cannot be deleted, near-duplicates of a copied image grouped with thumbnails, delete with confirmation,
 * 1280 and 390 px wide). Screenshots go to target/console-screenshots.
 */
@QuarkusTest
@QuarkusTestResource(Platform.class)
class ConsoleBrowserE2ETest {

    private static final Path ROOT = Path.of("..").toAbsolutePath().normalize();

    @TestHTTPResource("/")
    URL base;

    @Test
    void theConsoleIsServedWithAStrictContentSecurityPolicyAndNoKey() {
        for (String path : List.of("/", "/index.html", "/console/app.js", "/console/console.css")) {
            given().get(path).then().statusCode(200)
                    .header("Content-Security-Policy", equalTo("default-src 'none'; script-src 'self'; style-src"
                            + " 'self'; img-src 'self' blob:; connect-src 'self'; base-uri 'none'; form-action 'none';"
                            + " frame-ancestors 'none'"))
                    .header("X-Content-Type-Options", "nosniff").header("X-Frame-Options", "DENY");
        }
        given().get("/").then().contentType(containsString("text/html"))
                .body(containsString("<script type=\"module\" src=\"console/app.js\"></script>"));
        // The page holds no inline script or style for the policy to refuse.
        String page = given().get("/").asString();
        assertEquals(-1, page.indexOf("<script>"), "inline script");
        assertEquals(-1, page.indexOf("style="), "inline style");
        assertEquals(-1, page.indexOf("<style"), "inline style");
    }

    @Test
    void aUserSignsInUploadsSearchesAndClassifiesInARealBrowser() throws Exception {
        Path images = Path.of("target/console-images").toAbsolutePath();
        Path shots = Path.of("target/console-screenshots").toAbsolutePath();
        if (!Files.isDirectory(images)) {
            run(List.of("bash", ROOT.resolve("scripts/demo.sh").toString(), "--write-images", images.toString(),
                    "--images", "120"), Path.of("target/console-images.log"));
        }
        ProcessBuilder pb = new ProcessBuilder("bash", Path.of("src/test/console/run.sh").toAbsolutePath().toString())
                .redirectErrorStream(true);
        pb.environment().put("SIGHTLINE_URL", "http://" + base.getHost() + ":" + base.getPort());
        pb.environment().put("SIGHTLINE_KEY", Platform.KEY_A);
        pb.environment().put("IMAGES_DIR", images.toString());
        pb.environment().put("OUT_DIR", shots.toString());
        Process p = pb.start();
        String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertTrue(p.waitFor(600, TimeUnit.SECONDS), "the browser test did not finish");
        assertEquals(0, p.exitValue(), out);
        assertTrue(out.contains("\"ok\":true") && out.contains("\"collection_images\":120"), out);
        for (String shot : List.of("console-search-1280.png", "console-search-390.png", "console-classify-1280.png",
                "console-classify-390.png", "console-collections-1280.png", "console-moderation-1280.png",
                "console-moderation-390.png", "console-duplicates-1280.png")) {
            assertTrue(Files.size(shots.resolve(shot)) > 10_000, shot);
        }
    }

    @Test
    void theDemoLoadsImagesWithThumbnailsAndPointsAtTheConsole() throws Exception {
        String url = "http://" + base.getHost() + ":" + base.getPort();
        Path log = Path.of("target/demo-e2e.log");
        run(List.of("bash", ROOT.resolve("scripts/demo.sh").toString(), "--url", url, "--key", Platform.KEY_A,
                "--collection", "demo-e2e", "--images", "20"), log);
        String out = Files.readString(log);
        assertTrue(out.contains("keeps media: thumbnail") && out.contains("loaded 20 images and 20 captions"), out);
        assertTrue(out.contains("The console: " + url + "/ "), out);
        given().header("Authorization", "Bearer " + Platform.KEY_A)
                .get("/v1/collections/demo-e2e/items/img-00008-green-star/thumbnail").then().statusCode(200)
                .contentType("image/jpeg");
    }

    private static void run(List<String> command, Path log) throws Exception {
        Process p = new ProcessBuilder(command).redirectErrorStream(true).redirectOutput(log.toFile()).start();
        assertTrue(p.waitFor(300, TimeUnit.SECONDS), command + " did not finish");
        assertEquals(0, p.exitValue(), command + " failed: " + Files.readString(log));
    }
}
