package dev.sightline.gateway.e2e;

import static dev.sightline.gateway.support.Gateway.as;
import static dev.sightline.gateway.support.Gateway.fixture;
import static org.hamcrest.Matchers.equalTo;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.sightline.common.hash.Sha256;
import dev.sightline.gateway.support.Platform;
import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.common.http.TestHTTPResource;
import io.quarkus.test.junit.QuarkusTest;
import java.awt.Color;
import java.awt.image.BufferedImage;
import java.io.IOException;
import java.net.URL;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import javax.imageio.ImageIO;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code ./sightline index} (scripts/index.py) against the real platform: ids from relative paths, per-file errors
 * reported without stopping, resume after an interruption without uploading again what is indexed, re-upload of a
 * changed file, and the items belonging to the key's tenant only.
 */
@QuarkusTest
@QuarkusTestResource(Platform.class)
class IndexerE2ETest {

    private static final Path ROOT = Path.of("..").toAbsolutePath().normalize();
    private static final Pattern SUMMARY = Pattern.compile("(\\d+) uploaded, (\\d+) already indexed, (\\d+) failed");

    @TestHTTPResource("/")
    URL base;

    @Test
    void indexesAFolderReportsBadFilesAndSkipsWhatIsIndexed(@TempDir Path dir) throws Exception {
        Files.write(dir.resolve("wide.png"), fixture("wide.png"));
        Files.write(dir.resolve("broken.jpg"), "not a JPEG at all".getBytes(StandardCharsets.US_ASCII));
        Files.writeString(dir.resolve("notes.txt"), "not an image file");
        Files.createDirectories(dir.resolve("holiday/day 2"));
        Files.write(dir.resolve("holiday/day 2/IMG~1.JPG"), fixture("exif-rotated.jpg"));
        Files.write(dir.resolve("holiday/anim.gif"), fixture("animated.gif"));
        Files.write(dir.resolve("holiday/scan.bmp"), fixture("image.bmp"));

        // Only the folder's own files without --recursive; the bad file is named and the run goes on.
        Run first = index(dir, "folder", Platform.KEY_A);
        assertEquals(1, first.exit, first.out);
        assertEquals(List.of(1, 0, 1), first.summary(), first.out);
        assertTrue(first.out.contains("failed: broken.jpg: HTTP 415: not a PNG, JPEG, GIF, BMP or WebP image"), first.out);

        Run second = index(dir, "folder", Platform.KEY_A, "--recursive");
        assertEquals(1, second.exit, second.out);
        assertEquals(List.of(3, 1, 1), second.summary(), second.out);

        // Ids are the relative paths ('/' as ':', other characters as ~XX); the metadata keeps the path.
        as(Platform.KEY_A).get("/v1/collections/folder/items/holiday:day~202:IMG~7E1.JPG").then().statusCode(200)
                .body("modality", equalTo("image")).body("metadata.path", equalTo("holiday/day 2/IMG~1.JPG"))
                .body("source_sha256", equalTo(Sha256.hex(fixture("exif-rotated.jpg"))));
        as(Platform.KEY_A).get("/v1/collections/folder/items/holiday:day~202:IMG~7E1.JPG/thumbnail").then()
                .statusCode(200).contentType("image/jpeg");

        // The bad file removed and one file changed: only the changed file goes up again.
        Files.delete(dir.resolve("broken.jpg"));
        Files.write(dir.resolve("holiday/scan.bmp"), fixture("wide.png"));
        Run third = index(dir, "folder", Platform.KEY_A, "--recursive");
        assertEquals(0, third.exit, third.out);
        assertEquals(List.of(1, 3, 0), third.summary(), third.out);
        as(Platform.KEY_A).get("/v1/collections/folder").then().statusCode(200).body("counts.image", equalTo(4));

        // The other tenant has a collection of the same name of its own, empty until it indexes.
        as(Platform.KEY_B).get("/v1/collections/folder/items/wide.png").then().statusCode(404);

        // What the indexer reads to resume: the items in id order, a page at a time, with their source hashes.
        as(Platform.KEY_A).get("/v1/collections/folder/items?limit=3").then().statusCode(200)
                .body("items.id", equalTo(List.of("holiday:anim.gif", "holiday:day~202:IMG~7E1.JPG",
                        "holiday:scan.bmp"))).body("next_after", equalTo("holiday:scan.bmp"))
                .body("items[1].source_sha256", equalTo(Sha256.hex(fixture("exif-rotated.jpg"))));
        as(Platform.KEY_A).get("/v1/collections/folder/items?after=holiday:scan.bmp&limit=3").then().statusCode(200)
                .body("items.id", equalTo(List.of("wide.png"))).body("next_after", equalTo(null));
        dev.sightline.gateway.support.Gateway.invalid(Platform.KEY_A).get("/v1/collections/folder/items?limit=0")
                .then().statusCode(400).contentType("application/problem+json");
        as(Platform.KEY_B).get("/v1/collections/nothing-here/items").then().statusCode(404);
    }

    @Test
    void anInterruptedRunResumesWithoutUploadingAgain(@TempDir Path dir) throws Exception {
        int files = 120;
        for (int i = 0; i < files; i++) {
            BufferedImage img = new BufferedImage(48, 40, BufferedImage.TYPE_INT_RGB);
            var g = img.createGraphics();
            g.setColor(new Color(Color.HSBtoRGB(i / (float) files, 0.8f, 0.9f)));
            g.fillRect(0, 0, 48, 40);
            g.setColor(Color.WHITE);
            g.fillOval(i % 30, i % 20, 16, 16);
            g.dispose();
            ImageIO.write(img, "png", dir.resolve(String.format("shot-%03d.png", i)).toFile());
        }
        Process p = start(dir, "resume", Platform.KEY_A, "--batch", "1", "--concurrency", "1");
        int indexed = 0;
        for (int i = 0; i < 3000 && indexed < 5; i++) {
            Thread.sleep(10);
            indexed = imageCount("resume");
        }
        assertTrue(p.isAlive(), "the run ended before it could be interrupted");
        new ProcessBuilder("kill", "-INT", Long.toString(p.pid())).start().waitFor();
        Run interrupted = finish(p);
        assertEquals(130, interrupted.exit, interrupted.out);
        assertTrue(interrupted.out.contains("run the same command again to resume"), interrupted.out);

        // A request the interrupted run had sent may still commit: the count is read once it has settled.
        int before = imageCount("resume");
        for (int i = 0; i < 50; i++) {
            Thread.sleep(200);
            int now = imageCount("resume");
            if (now == before) {
                break;
            }
            before = now;
        }
        Run resumed = index(dir, "resume", Platform.KEY_A);
        assertEquals(0, resumed.exit, resumed.out);
        List<Integer> s = resumed.summary();
        assertEquals(files, s.get(0) + s.get(1), resumed.out);
        assertEquals(before, s.get(1), "every item the interrupted run stored is skipped: " + resumed.out);
        assertEquals(files, imageCount("resume"));
    }

    @Test
    void aWrongKeyStopsTheRunWithTheGatewaysAnswer(@TempDir Path dir) throws Exception {
        Files.write(dir.resolve("wide.png"), fixture("wide.png"));
        Run run = index(dir, "nokey", "sk-sl-not-a-key");
        assertEquals(1, run.exit, run.out);
        assertTrue(run.out.contains("HTTP 401"), run.out);
    }

    private int imageCount(String collection) {
        var r = as(Platform.KEY_A).get("/v1/collections/" + collection);
        return r.statusCode() == 200 ? r.jsonPath().getInt("counts.image") : 0;
    }

    private Process start(Path dir, String collection, String key, String... extra) throws IOException {
        // SIGINT at its default: a JVM started in the background by a shell without job control (nohup … &)
        // inherits SIGINT ignored, Python then installs no KeyboardInterrupt handler, and the interrupted-run test
        // would see the run finish (exit 0) instead of stopping (130).
        List<String> cmd = new ArrayList<>(List.of("/usr/bin/env", "--default-signal=INT", "/usr/bin/python3",
                ROOT.resolve("scripts/index.py").toString(), dir.toString(), "--collection", collection));
        cmd.addAll(List.of(extra));
        ProcessBuilder pb = new ProcessBuilder(cmd).redirectErrorStream(true);
        pb.environment().put("SIGHTLINE_URL", "http://" + base.getHost() + ":" + base.getPort());
        pb.environment().put("SIGHTLINE_KEY", key);
        return pb.start();
    }

    private Run index(Path dir, String collection, String key, String... extra) throws Exception {
        return finish(start(dir, collection, key, extra));
    }

    private static Run finish(Process p) throws Exception {
        String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertTrue(p.waitFor(120, TimeUnit.SECONDS), "the indexer did not finish: " + out);
        return new Run(p.exitValue(), out);
    }

    private record Run(int exit, String out) {
        /** [uploaded, already indexed, failed] from the last line of counts. */
        List<Integer> summary() {
            Matcher m = SUMMARY.matcher(out);
            List<Integer> last = null;
            while (m.find()) {
                last = List.of(Integer.parseInt(m.group(1)), Integer.parseInt(m.group(2)),
                        Integer.parseInt(m.group(3)));
            }
            if (last == null) {
                throw new AssertionError("no summary line in: " + out);
            }
            return last;
        }
    }
}
