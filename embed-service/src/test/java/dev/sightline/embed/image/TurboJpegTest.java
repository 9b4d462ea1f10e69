package dev.sightline.embed.image;

import static dev.sightline.embed.image.TestImages.LENIENT;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import dev.sightline.common.problem.ProblemException;
import dev.sightline.embed.EmbedProblem;
import java.awt.image.BufferedImage;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Random;
import javax.imageio.IIOImage;
import javax.imageio.ImageIO;
import javax.imageio.ImageWriteParam;
import javax.imageio.ImageWriter;
import javax.imageio.stream.MemoryCacheImageOutputStream;
import org.junit.jupiter.api.Test;

/**
 * JPEG decoding through libjpeg-turbo (Debian's libturbojpeg-java, which {@code ./sightline} installs): the same pixels
 * as Pillow, byte for byte, and the same as the JDK decoder on JPEGs the JDK's own encoder writes.
 */
class TurboJpegTest {

    static final TurboJpeg TURBO = TurboJpeg.load(Path.of("/usr/share/java/turbojpeg.jar"),
            Path.of("/usr/lib/x86_64-linux-gnu/libturbojpeg.so.0"));

    private final ClipPreprocessor preprocessor = new ClipPreprocessor(PreprocessConfig.clipDefaults());

    @Test
    void jpegFixturesGivePillowsCropsExactly() {
        int checked = 0;
        for (JsonNode entry : TestImages.parity().path("images")) {
            String file = entry.path("file").asText();
            if (!file.endsWith(".jpg") || file.contains("cmyk")) {
                continue;
            }
            RgbImage crop = preprocessor.resizeAndCrop(ImageDecoder.decode(TestImages.fixture(file), LENIENT, TURBO));
            assertEquals(entry.path("crop_sha256").asText(), TestImages.sha256(crop.rgb()), file);
            checked++;
        }
        assertEquals(4, checked, "tall, large, gray and exif-rotated JPEG fixtures");
    }

    @Test
    void leavesCmykToTheJdkPath() {
        byte[] cmyk = TestImages.fixture("images/cmyk.jpg");
        RgbImage jdk = ImageDecoder.decode(cmyk, LENIENT);
        assertNull(TURBO.decodeRgb(cmyk, jdk.width(), jdk.height()));
        assertArrayEquals(jdk.rgb(), ImageDecoder.decode(cmyk, LENIENT, TURBO).rgb());
    }

    @Test
    void agreesWithTheJdkDecoderOnBaselineAndProgressiveJpegs() throws IOException {
        List<String> cases = new ArrayList<>();
        for (int type : new int[] {BufferedImage.TYPE_3BYTE_BGR, BufferedImage.TYPE_BYTE_GRAY}) {
            for (boolean progressive : new boolean[] {false, true}) {
                for (float quality : new float[] {0.5f, 0.95f}) {
                    byte[] jpeg = encode(photoLike(317, 233, type, cases.size()), progressive, quality);
                    RgbImage jdk = ImageDecoder.decode(jpeg, LENIENT);
                    RgbImage turbo = ImageDecoder.decode(jpeg, LENIENT, TURBO);
                    String name = (type == BufferedImage.TYPE_BYTE_GRAY ? "grey" : "colour")
                            + (progressive ? " progressive" : " baseline") + " q" + quality;
                    assertArrayEquals(jdk.rgb(), turbo.rgb(), name);
                    cases.add(name);
                }
            }
        }
        assertEquals(8, cases.size());
    }

    @Test
    void corruptedJpegsAreInvalidImagesOrDecodeNeverAnythingElse() {
        byte[] jpeg = TestImages.fixture("images/large.jpg");
        Random random = new Random(42);
        int refused = 0;
        for (int i = 0; i < 200; i++) {
            byte[] bad = Arrays.copyOf(jpeg, jpeg.length);
            for (int k = 0; k < 1 + random.nextInt(8); k++) {
                // Past the SOI marker, before the EOI: headers, tables and entropy-coded data.
                bad[2 + random.nextInt(bad.length - 4)] = (byte) random.nextInt(256);
            }
            try {
                RgbImage img = ImageDecoder.decode(bad, LENIENT, TURBO);
                assertEquals(img.width() * img.height() * 3, img.rgb().length);
            } catch (ProblemException e) {
                assertTrue(e.code() == EmbedProblem.INVALID_IMAGE
                        || e.code() == dev.sightline.common.problem.CommonProblem.PAYLOAD_TOO_LARGE
                        || e.code() == dev.sightline.common.problem.CommonProblem.UNSUPPORTED_MEDIA_TYPE, e.getMessage());
                refused++;
            }
        }
        assertTrue(refused > 0, "some corruptions must be refused");
    }

    @Test
    void refusesAMissingLibraryWithTheFixInTheMessage() {
        IllegalStateException e = assertThrows(IllegalStateException.class,
                () -> TurboJpeg.load(Path.of("/nonexistent/turbojpeg.jar"), Path.of("/nonexistent/libturbojpeg.so.0")));
        assertTrue(e.getMessage().contains("apt-get install libturbojpeg-java"), e.getMessage());
    }

    /** Smooth gradients plus seeded noise: what a camera picture's blocks look like to a JPEG codec. */
    private static BufferedImage photoLike(int w, int h, int type, long seed) {
        BufferedImage img = new BufferedImage(w, h, type);
        Random r = new Random(seed);
        for (int y = 0; y < h; y++) {
            for (int x = 0; x < w; x++) {
                int red = clamp(128 + (int) (90 * Math.sin(x / 23.0)) + r.nextInt(21) - 10);
                int green = clamp(100 + (int) (80 * Math.cos(y / 17.0)) + r.nextInt(21) - 10);
                int blue = clamp((x + y) % 256);
                img.setRGB(x, y, red << 16 | green << 8 | blue);
            }
        }
        return img;
    }

    private static int clamp(int v) {
        return Math.max(0, Math.min(255, v));
    }

    private static byte[] encode(BufferedImage img, boolean progressive, float quality) throws IOException {
        ImageWriter writer = ImageIO.getImageWritersByFormatName("jpeg").next();
        ImageWriteParam p = writer.getDefaultWriteParam();
        p.setCompressionMode(ImageWriteParam.MODE_EXPLICIT);
        p.setCompressionQuality(quality);
        if (progressive) {
            p.setProgressiveMode(ImageWriteParam.MODE_DEFAULT);
        }
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        try (MemoryCacheImageOutputStream stream = new MemoryCacheImageOutputStream(out)) {
            writer.setOutput(stream);
            writer.write(null, new IIOImage(img, null, null), p);
        } finally {
            writer.dispose();
        }
        return out.toByteArray();
    }
}
