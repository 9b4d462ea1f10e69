package dev.sightline.embed.image;

import com.fasterxml.jackson.databind.JsonNode;
import org.junit.jupiter.api.DynamicTest;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestFactory;

import java.util.ArrayList;
import java.util.List;
import java.util.Random;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

/**
 * Java decode + resize + crop against the Pillow reference crops in models/fixtures/parity.
 *
 * <p>PNG, GIF and BMP must match byte for byte: their decoding is lossless, so these cases pin down the
 * conversion and the bicubic resize exactly. JPEG goes through a different libjpeg build (the JDK's, versus
 * Pillow's libjpeg-turbo); both implement the same integer IDCT and fancy upsampling and the colour conversion
 * here reproduces libjpeg's fixed-point tables, so the pixels are expected to be identical (and are, on this
 * JDK), but a JDK bundling IJG 6b or a different progressive smoothing may round a decoded pixel by one.
 * A one-level input difference can move a bicubic output (weights sum to 1, overshoot up to ~1.3) by at most
 * two levels after rounding, hence {@link #JPEG_MAX_ABS_DIFF}.
 */
class ClipPreprocessorParityTest {

    static final int JPEG_MAX_ABS_DIFF = 2;

    private final ClipPreprocessor preprocessor = new ClipPreprocessor(PreprocessConfig.clipDefaults());

    @TestFactory
    List<DynamicTest> cropsMatchPillow() {
        JsonNode parity = TestImages.parity();
        List<DynamicTest> tests = new ArrayList<>();
        for (JsonNode entry : parity.path("images")) {
            String file = entry.path("file").asText();
            tests.add(DynamicTest.dynamicTest(file, () -> checkCrop(entry)));
        }
        assertFalse(tests.isEmpty(), "parity.json lists no images");
        return tests;
    }

    private void checkCrop(JsonNode entry) {
        String file = entry.path("file").asText();
        RgbImage decoded = ImageDecoder.decode(TestImages.fixture(file), TestImages.LENIENT);
        RgbImage crop = preprocessor.resizeAndCrop(decoded);
        assertEquals(224, crop.width());
        assertEquals(224, crop.height());
        String expectedSha = entry.path("crop_sha256").asText();
        String actualSha = TestImages.sha256(crop.rgb());

        // fixture.py names crops after the image's stem, so gray.png's crop file was overwritten by gray.jpg's;
        // a crop file is only a reference when its pixels hash to the entry's crop_sha256.
        byte[] reference = TestImages.rawRgbOfPng(TestImages.fixture(entry.path("crop").asText()));
        boolean haveReference = TestImages.sha256(reference).equals(expectedSha);
        String stats = haveReference ? diffStats(crop.rgb(), reference) : "no pixel reference (sha only)";
        boolean jpeg = file.endsWith(".jpg") || file.endsWith(".jpeg");
        System.out.printf("parity %-24s %-5s %s sha %s%n", file, entry.path("mode").asText(), stats,
                actualSha.equals(expectedSha) ? "equal" : "DIFFERS");

        if (jpeg) {
            assertTrue(haveReference, file + ": crop file does not match crop_sha256");
            int max = maxAbsDiff(crop.rgb(), reference);
            assertTrue(max <= JPEG_MAX_ABS_DIFF, file + ": " + stats);
        } else if (!actualSha.equals(expectedSha)) {
            fail(file + ": crop differs from Pillow's (" + stats + ")");
        }
    }

    @Test
    void preprocessWritesNormalisedChannelFirstFloats() {
        RgbImage crop = randomImage(224, 224, 7);
        PreprocessConfig cfg = PreprocessConfig.clipDefaults();
        float[] tensor = new float[5 + preprocessor.tensorSize()];
        preprocessor.toTensor(crop, tensor, 5);
        float[] mean = cfg.mean();
        float[] std = cfg.std();
        int plane = 224 * 224;
        for (int y = 0; y < 224; y += 37) {
            for (int x = 0; x < 224; x += 41) {
                for (int c = 0; c < 3; c++) {
                    float v = crop.sample(x, y, c);
                    // numpy: (u8.astype(float32) * float32(1/255) - MEAN) / STD, all float32
                    float expected = ((v * (float) (1.0 / 255.0)) - mean[c]) / std[c];
                    assertEquals(expected, tensor[5 + c * plane + y * 224 + x], 0.0f);
                }
            }
        }
        assertEquals(0.0f, tensor[0]);
        RgbImage image = randomImage(300, 250, 8);
        float[] direct = new float[preprocessor.tensorSize()];
        preprocessor.toTensor(preprocessor.resizeAndCrop(image), direct, 0);
        assertArrayEquals(direct, preprocessor.preprocess(image));
    }

    @Test
    void resizeFollowsHfShortestEdgeRounding() {
        ClipPreprocessor p = new ClipPreprocessor(new PreprocessConfig(224, 224, 224,
                new float[3], new float[] {1, 1, 1}, 1f));
        // int(224 * 1000 / 333) = int(672.67...) = 672 -> crop starts at (672 - 224) / 2 = 224
        RgbImage image = randomImage(1000, 333, 9);
        RgbImage expected = PilResize.resize(image, 672, 224, 224, 0, 224, 224);
        assertArrayEquals(expected.rgb(), p.resizeAndCrop(image).rgb());
        // odd remainder floors: height int(224 * 301 / 200) = 337, top = (337 - 224) // 2 = 56
        RgbImage tall = randomImage(200, 301, 10);
        assertArrayEquals(PilResize.resize(tall, 224, 337, 0, 56, 224, 224).rgb(), p.resizeAndCrop(tall).rgb());
    }

    @Test
    void padsWithZerosWhenCropIsLargerThanResizedImage() {
        // shortest edge 10, crop 16 (w) x 12 (h) on a 20x10 image: resized 20x10, HF pads the height by 2,
        // placing the image at ceil(2 / 2) = 1 row down, and crops columns from (20 - 16) // 2 = 2.
        ClipPreprocessor p = new ClipPreprocessor(new PreprocessConfig(10, 12, 16,
                new float[3], new float[] {1, 1, 1}, 1f));
        RgbImage image = randomImage(40, 20, 11);
        RgbImage resized = PilResize.resize(image, 20, 10);
        RgbImage crop = p.resizeAndCrop(image);
        assertEquals(16, crop.width());
        assertEquals(12, crop.height());
        for (int y = 0; y < 12; y++) {
            for (int x = 0; x < 16; x++) {
                for (int c = 0; c < 3; c++) {
                    int sy = y - 1;
                    int expected = sy >= 0 && sy < 10 ? resized.sample(x + 2, sy, c) : 0;
                    assertEquals(expected, crop.sample(x, y, c), "pixel " + x + "," + y);
                }
            }
        }
    }

    static RgbImage randomImage(int w, int h, long seed) {
        byte[] rgb = new byte[w * h * 3];
        new Random(seed).nextBytes(rgb);
        return new RgbImage(w, h, rgb);
    }

    private static int maxAbsDiff(byte[] a, byte[] b) {
        int max = 0;
        for (int i = 0; i < a.length; i++) {
            max = Math.max(max, Math.abs((a[i] & 0xFF) - (b[i] & 0xFF)));
        }
        return max;
    }

    private static String diffStats(byte[] a, byte[] b) {
        long sum = 0;
        int differing = 0;
        for (int i = 0; i < a.length; i++) {
            int d = Math.abs((a[i] & 0xFF) - (b[i] & 0xFF));
            sum += d;
            differing += d != 0 ? 1 : 0;
        }
        return String.format("max abs diff %d, mean %.4f, %d of %d samples differ",
                maxAbsDiff(a, b), (double) sum / a.length, differing, a.length);
    }
}
