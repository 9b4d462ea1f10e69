package dev.sightline.embed.image;

import dev.sightline.common.problem.CommonProblem;
import dev.sightline.common.problem.ProblemCode;
import dev.sightline.common.problem.ProblemException;
import dev.sightline.embed.EmbedProblem;
import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Base64;
import java.util.HexFormat;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.function.Executable;

import static dev.sightline.embed.image.TestImages.LENIENT;
import static dev.sightline.embed.image.TestImages.bytes;
import static dev.sightline.embed.image.TestImages.png;
import static dev.sightline.embed.image.TestImages.unsigned;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTimeoutPreemptively;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** Behaviour of {@link ImageDecoder}; expected pixel values marked "Pillow" were produced by Pillow 9.4. */
class ImageDecoderTest {

    private static final String[] FIXTURES = {
        "images/wide.png", "images/tall.jpg", "images/tiny.png", "images/large.jpg", "images/gray.png",
        "images/gray.jpg", "images/rgba.png", "images/palette.png", "images/exif-rotated.jpg", "images/cmyk.jpg",
        "images/animated.gif", "images/image.bmp",
    };

    /**
     * A 5x4 GIF whose first frame is 2x2 at (2, 1), indices [1, 3; 2, 0], palette [(10,20,30), (200,0,0),
     * (0,200,0), (0,0,200)], with transparent index 2; a second full-screen frame is all index 3.
     */
    private static final String GIF_TRANSPARENT = "474946383961050004008100000a141ec8000000c8000000c821f904"
            + "01000002002c0200010002000200000203cc28140021f90400000000002c000000000500040000020cdcb871e3c68d1b"
            + "376edcb815003b";
    /** The same GIF without the transparency flag. */
    private static final String GIF_OPAQUE = "474946383961050004008100000a141ec8000000c8000000c821f904000000"
            + "02002c0200010002000200000203cc28140021f90400000000002c000000000500040000020cdcb871e3c68d1b376edc"
            + "b815003b";

    private static final String WEBP_EXIF_6 = "UklGRmIAAABXRUJQVlA4WAoAAAAIAAAAAgAAAQAAVlA4TCIAAAAvAkAAAC8gFkx252+c"
            + "xCiMwvwntqGmbQM21PmXUyP6H9MLRVhJRhoAAABNTQAqAAAACAABARIAAwAAAAEABgAAAAAAAA==";

    @Test
    void rejectsImageOverPixelLimitBeforeDecoding() {
        // 100000 x 100000 RGB would need 30 GB; the body holds a single row.
        byte[] bomb = png(100_000, 100_000, 8, 2, new byte[][] {new byte[9]});
        assertTimeoutPreemptively(Duration.ofSeconds(5),
                () -> assertCode(CommonProblem.PAYLOAD_TOO_LARGE, () -> ImageDecoder.decode(bomb, LENIENT)));

        byte[] jpeg = TestImages.fixture("images/tall.jpg");
        int sof = indexOf(jpeg, 0xFF, 0xC0);
        jpeg[sof + 5] = jpeg[sof + 7] = (byte) 0xEA; // 60000 x 60000 claimed in SOF0
        jpeg[sof + 6] = jpeg[sof + 8] = 0x60;
        assertTimeoutPreemptively(Duration.ofSeconds(5),
                () -> assertCode(CommonProblem.PAYLOAD_TOO_LARGE, () -> ImageDecoder.decode(jpeg, LENIENT)));

        byte[] gif = HexFormat.of().parseHex(GIF_OPAQUE);
        gif[6] = gif[7] = gif[8] = gif[9] = (byte) 0xFF; // a 65535 x 65535 logical screen around a 2x2 frame
        assertCode(CommonProblem.PAYLOAD_TOO_LARGE, () -> ImageDecoder.decode(gif, LENIENT));
    }

    @Test
    void rejectsCorruptPng() {
        byte[] png = TestImages.fixture("images/wide.png");
        int idat = indexOf(png, 'I', 'D', 'A', 'T');
        Arrays.fill(png, idat + 20, png.length - 40, (byte) 0xAB);
        assertCode(EmbedProblem.INVALID_IMAGE, () -> ImageDecoder.decode(png, LENIENT));

        byte[] half = Arrays.copyOf(TestImages.fixture("images/wide.png"), 700);
        assertCode(EmbedProblem.INVALID_IMAGE, () -> ImageDecoder.decode(half, LENIENT));

        // an ancillary chunk claiming 1 GB in front of the image data
        byte[] lying = png(2, 1, 8, 0, new byte[][] {bytes(1, 2)}, TestImages.chunk("teXt", new byte[8]));
        int text = indexOf(lying, 't', 'e', 'X', 't');
        lying[text - 4] = 0x40;
        assertTimeoutPreemptively(Duration.ofSeconds(5),
                () -> assertCode(EmbedProblem.INVALID_IMAGE, () -> ImageDecoder.decode(lying, LENIENT)));
    }

    @Test
    void rejectsBmpWithEmbeddedJpeg() {
        byte[] bmp = TestImages.fixture("images/image.bmp");
        bmp[30] = 4; // BI_JPEG, which Pillow does not read
        assertCode(CommonProblem.UNSUPPORTED_MEDIA_TYPE, () -> ImageDecoder.decode(bmp, LENIENT));
    }

    @Test
    void rejectsTruncatedJpeg() {
        byte[] jpeg = TestImages.fixture("images/large.jpg");
        // Pillow refuses both: the JDK decoder would pad them with grey and only warn.
        for (int length : new int[] {jpeg.length * 6 / 10, jpeg.length - 2, 400}) {
            byte[] cut = Arrays.copyOf(jpeg, length);
            assertCode(EmbedProblem.INVALID_IMAGE, () -> ImageDecoder.decode(cut, LENIENT));
        }
    }

    @Test
    void rejectsUnknownFormat() {
        byte[] tiff = bytes('I', 'I', 42, 0, 8, 0, 0, 0, 0, 0, 0, 0);
        assertCode(CommonProblem.UNSUPPORTED_MEDIA_TYPE, () -> ImageDecoder.decode(tiff, LENIENT));
        byte[] text = "just some text, not an image".getBytes(StandardCharsets.US_ASCII);
        assertCode(CommonProblem.UNSUPPORTED_MEDIA_TYPE, () -> ImageDecoder.decode(text, LENIENT));
        assertCode(EmbedProblem.INVALID_IMAGE, () -> ImageDecoder.decode(new byte[0], LENIENT));
    }

    @Test
    void rejectsImageSmallerThanMinSide() {
        byte[] tiny = TestImages.fixture("images/tiny.png"); // 48 x 40
        assertCode(EmbedProblem.INVALID_IMAGE, () -> ImageDecoder.decode(tiny, new ImageLimits(1 << 20, 1 << 20, 41)));
        assertEquals(40, ImageDecoder.decode(tiny, new ImageLimits(1 << 20, 1 << 20, 40)).height());
    }

    @Test
    void rejectsBytesOverLimit() {
        byte[] jpeg = TestImages.fixture("images/tall.jpg");
        assertCode(CommonProblem.PAYLOAD_TOO_LARGE,
                () -> ImageDecoder.decode(jpeg, new ImageLimits(jpeg.length - 1, 1 << 30, 1)));
        assertEquals(200, ImageDecoder.decode(jpeg, new ImageLimits(jpeg.length, 1 << 30, 1)).width());
    }

    @Test
    void dropsAlphaWithoutCompositing() {
        byte[] rgba = png(3, 1, 8, 6, new byte[][] {bytes(200, 100, 50, 0, 10, 20, 30, 128, 1, 2, 3, 255)});
        assertArrayEquals(new int[] {200, 100, 50, 10, 20, 30, 1, 2, 3}, decodePixels(rgba));
        // 16-bit grey + alpha: Pillow keeps the high byte of grey
        byte[] la16 = png(2, 1, 16, 4, new byte[][] {bytes(0x12, 0x34, 0xAB, 0xCD, 0xFF, 0x01, 0x00, 0x01)});
        assertArrayEquals(new int[] {18, 18, 18, 255, 255, 255}, decodePixels(la16));
        // a palette's transparent entry still shows its colour
        byte[] palette = png(2, 1, 8, 3, new byte[][] {bytes(0, 1)},
                TestImages.chunk("PLTE", bytes(9, 8, 7, 6, 5, 4)), TestImages.chunk("tRNS", bytes(0)));
        assertArrayEquals(new int[] {9, 8, 7, 6, 5, 4}, decodePixels(palette));
    }

    @Test
    void expandsGrayscaleWithoutGammaChange() {
        byte[] ramp = new byte[256];
        for (int i = 0; i < 256; i++) {
            ramp[i] = (byte) i;
        }
        int[] rgb = decodePixels(png(256, 1, 8, 0, new byte[][] {ramp}));
        for (int i = 0; i < 256; i++) {
            assertEquals(i, rgb[i * 3]);
            assertEquals(i, rgb[i * 3 + 1]);
            assertEquals(i, rgb[i * 3 + 2]);
        }
        // Pillow: 2-bit grey scales by 85, 1-bit to 0/255, tRNS is ignored
        assertArrayEquals(grey(0, 85, 170, 255), decodePixels(png(4, 1, 2, 0, new byte[][] {bytes(0b00011011)})));
        assertArrayEquals(grey(255, 0, 255, 255, 0, 0, 0, 0),
                decodePixels(png(8, 1, 1, 0, new byte[][] {bytes(0b10110000)})));
        assertArrayEquals(grey(7, 200), decodePixels(png(2, 1, 8, 0, new byte[][] {bytes(7, 200)},
                TestImages.chunk("tRNS", bytes(0, 7)))));
    }

    /** Pillow opens 16-bit grey PNG as mode "I" and convert("RGB") clips at 255; RGB keeps the high byte. */
    @Test
    void followsPillowForSixteenBitPng() {
        assertArrayEquals(grey(0, 200, 255, 255),
                decodePixels(png(4, 1, 16, 0, new byte[][] {bytes(0, 0, 0, 200, 1, 0, 0xFF, 0xFF)})));
        assertArrayEquals(grey(7, 255), decodePixels(png(2, 1, 16, 0, new byte[][] {bytes(0, 7, 1, 44)},
                TestImages.chunk("tRNS", bytes(0, 7)))));
        byte[] rgb16 = png(2, 1, 16, 2, new byte[][] {
            bytes(0x12, 0x34, 0xAB, 0xCD, 0x00, 0xFF, 0xFF, 0x00, 0x80, 0x80, 0x7F, 0xFF)});
        assertArrayEquals(new int[] {18, 171, 0, 255, 128, 127}, decodePixels(rgb16));
    }

    @Test
    void mapsPaletteIndexPastPaletteEndToGrey() {
        // Pillow's palette defaults to a grey ramp beyond the PLTE entries
        byte[] png = png(4, 1, 2, 3, new byte[][] {bytes(0b00011011)},
                TestImages.chunk("PLTE", bytes(10, 20, 30, 40, 50, 60)));
        assertArrayEquals(new int[] {10, 20, 30, 40, 50, 60, 2, 2, 2, 3, 3, 3}, decodePixels(png));
    }

    @Test
    void appliesExifOrientation() {
        RgbImage rotated = ImageDecoder.decode(TestImages.fixture("images/exif-rotated.jpg"), LENIENT);
        assertEquals(240, rotated.width()); // stored 360 x 240 with orientation 6
        assertEquals(360, rotated.height());

        byte[] jpeg = TestImages.fixture("images/tall.jpg");
        RgbImage upright = ImageDecoder.decode(jpeg, LENIENT);
        for (boolean little : new boolean[] {true, false}) {
            for (int orientation = 1; orientation <= 8; orientation++) {
                RgbImage image = ImageDecoder.decode(withExif(jpeg, tiff(orientation, little)), LENIENT);
                RgbImage expected = ExifOrientation.apply(upright, orientation);
                assertEquals(expected.width(), image.width());
                assertArrayEquals(expected.rgb(), image.rgb(), "orientation " + orientation);
            }
        }
        byte[] png = png(3, 2, 8, 0, new byte[][] {bytes(0, 1, 2), bytes(3, 4, 5)},
                TestImages.chunk("eXIf", tiff(6, false)));
        assertArrayEquals(grey(3, 0, 4, 1, 5, 2), decodePixels(png));
        // Pillow-written lossless WebP of [0 10 20; 30 40 50] grey with an EXIF chunk saying 6
        assertArrayEquals(grey(30, 0, 40, 10, 50, 20), decodePixels(Base64.getDecoder().decode(WEBP_EXIF_6)));
    }

    /** Pillow's transpose results for a 3x2 image holding 0..5, per orientation 1..8. */
    @Test
    void transposesLikePillow() {
        RgbImage src = new RgbImage(3, 2, bytes(grey(0, 1, 2, 3, 4, 5)));
        int[][] expected = {
            {0, 1, 2, 3, 4, 5}, {2, 1, 0, 5, 4, 3}, {5, 4, 3, 2, 1, 0}, {3, 4, 5, 0, 1, 2},
            {0, 3, 1, 4, 2, 5}, {3, 0, 4, 1, 5, 2}, {5, 2, 4, 1, 3, 0}, {2, 5, 1, 4, 0, 3},
        };
        for (int o = 1; o <= 8; o++) {
            RgbImage out = ExifOrientation.apply(src, o);
            assertEquals(o >= 5 ? 2 : 3, out.width());
            assertArrayEquals(grey(expected[o - 1]), unsigned(out.rgb()), "orientation " + o);
        }
    }

    @Test
    void malformedExifMeansNoRotation() {
        byte[] good = tiff(6, true);
        assertEquals(6, ExifOrientation.fromTiff(good, 0, good.length));
        for (int length = 0; length < good.length - 1; length++) {
            int orientation = ExifOrientation.fromTiff(good, 0, length);
            assertTrue(orientation == 1 || length >= 6 + 8 + 2 + 12, "length " + length);
        }
        byte[] badOffset = good.clone();
        badOffset[10] = (byte) 0xF0; // IFD offset far past the end
        assertEquals(1, ExifOrientation.fromTiff(badOffset, 0, badOffset.length));
        byte[] badValue = tiff(9, false);
        assertEquals(1, ExifOrientation.fromTiff(badValue, 0, badValue.length));
        byte[] jpeg = withExif(TestImages.fixture("images/tall.jpg"), Arrays.copyOf(good, 15));
        assertEquals(200, ImageDecoder.decode(jpeg, LENIENT).width());
    }

    @Test
    void decodesFirstGifFrameOnly() {
        int[] fill = {0, 200, 0};
        int[] expected = new int[5 * 4 * 3];
        for (int i = 0; i < expected.length; i++) {
            expected[i] = fill[i % 3];
        }
        // Pillow: frame 0 pasted at (2, 1) on a canvas filled with the transparent index
        put(expected, 5, 2, 1, 200, 0, 0);
        put(expected, 5, 3, 1, 0, 0, 200);
        put(expected, 5, 3, 2, 10, 20, 30);
        assertArrayEquals(expected, decodePixels(HexFormat.of().parseHex(GIF_TRANSPARENT)));

        int[] opaque = new int[5 * 4 * 3];
        for (int i = 0; i < opaque.length; i++) {
            opaque[i] = new int[] {10, 20, 30}[i % 3];
        }
        put(opaque, 5, 2, 1, 200, 0, 0);
        put(opaque, 5, 3, 1, 0, 0, 200);
        put(opaque, 5, 2, 2, 0, 200, 0);
        assertArrayEquals(opaque, decodePixels(HexFormat.of().parseHex(GIF_OPAQUE)));
    }

    @Test
    void decodesLosslessWebp() {
        // images/tiny.png saved by Pillow as lossless WebP (models/scripts/fixture.py)
        RgbImage webp = ImageDecoder.decode(TestImages.fixture("tiny-lossless.webp"), LENIENT);
        RgbImage png = ImageDecoder.decode(TestImages.fixture("images/tiny.png"), LENIENT);
        assertArrayEquals(png.rgb(), webp.rgb());
    }

    @Test
    void survivesRandomMutationsOfFixtures() {
        List<byte[]> seeds = new ArrayList<>();
        for (String f : FIXTURES) {
            seeds.add(TestImages.fixture(f));
        }
        seeds.add(HexFormat.of().parseHex(GIF_TRANSPARENT));
        seeds.add(TestImages.fixture("tiny-lossless.webp"));
        ImageLimits limits = new ImageLimits(4_000_000, 8_000_000, 1);
        Random random = new Random(20240611L);
        int decoded = 0;
        int rejected = 0;
        List<String> failures = new ArrayList<>();
        for (int i = 0; i < 2000; i++) {
            byte[] seed = seeds.get(random.nextInt(seeds.size()));
            byte[] input = mutate(seed, random);
            try {
                ImageDecoder.decode(input, limits);
                decoded++;
            } catch (ProblemException e) {
                rejected++;
            } catch (Throwable t) {
                failures.add("mutation " + i + ": " + t);
            }
        }
        System.out.printf("fuzz: %d decoded, %d rejected with ProblemException, %d other%n",
                decoded, rejected, failures.size());
        assertTrue(failures.isEmpty(), String.join("\n", failures));
    }

    private static byte[] mutate(byte[] seed, Random random) {
        byte[] b = seed.clone();
        int edits = 1 + random.nextInt(3);
        for (int e = 0; e < edits && b.length > 0; e++) {
            switch (random.nextInt(6)) {
                case 0 -> { // random bytes anywhere
                    for (int n = 1 + random.nextInt(16); n > 0; n--) {
                        b[random.nextInt(b.length)] = (byte) random.nextInt(256);
                    }
                }
                case 1 -> { // header damage, where sizes and markers live
                    for (int n = 1 + random.nextInt(4); n > 0; n--) {
                        b[random.nextInt(Math.min(b.length, 64))] = (byte) random.nextInt(256);
                    }
                }
                case 2 -> b = Arrays.copyOf(b, random.nextInt(b.length)); // truncation
                case 3 -> { // insertion
                    int at = random.nextInt(b.length + 1);
                    byte[] junk = new byte[1 + random.nextInt(64)];
                    random.nextBytes(junk);
                    ByteArrayOutputStream out = new ByteArrayOutputStream();
                    out.write(b, 0, at);
                    out.writeBytes(junk);
                    out.write(b, at, b.length - at);
                    b = out.toByteArray();
                }
                case 4 -> { // a run of 0x00 or 0xFF
                    int at = random.nextInt(b.length);
                    Arrays.fill(b, at, Math.min(b.length, at + 1 + random.nextInt(32)),
                            random.nextBoolean() ? (byte) 0 : (byte) 0xFF);
                }
                default -> { // a copied block
                    int from = random.nextInt(b.length);
                    int to = random.nextInt(b.length);
                    int n = Math.min(random.nextInt(256), Math.min(b.length - from, b.length - to));
                    System.arraycopy(b, from, b, to, n);
                }
            }
        }
        return b;
    }

    private static int[] decodePixels(byte[] encoded) {
        return unsigned(ImageDecoder.decode(encoded, LENIENT).rgb());
    }

    private static int[] grey(int... values) {
        int[] out = new int[values.length * 3];
        for (int i = 0; i < values.length; i++) {
            out[i * 3] = out[i * 3 + 1] = out[i * 3 + 2] = values[i];
        }
        return out;
    }

    private static void put(int[] rgb, int width, int x, int y, int r, int g, int b) {
        int i = (y * width + x) * 3;
        rgb[i] = r;
        rgb[i + 1] = g;
        rgb[i + 2] = b;
    }

    /** "Exif\0\0" and a TIFF block whose IFD0 holds one SHORT orientation entry. */
    private static byte[] tiff(int orientation, boolean little) {
        byte[] t = new byte[6 + 8 + 2 + 12 + 4];
        System.arraycopy("Exif".getBytes(StandardCharsets.US_ASCII), 0, t, 0, 4);
        int p = 6;
        t[p] = t[p + 1] = (byte) (little ? 'I' : 'M');
        put16(t, p + 2, 42, little);
        put16(t, p + 4, 8, little); // IFD0 at offset 8 (32-bit, high half zero)
        put16(t, p + 8, 1, little);
        put16(t, p + 10, 0x0112, little);
        put16(t, p + 12, 3, little);
        put16(t, p + 14, 1, little);
        put16(t, p + 18, orientation, little);
        if (!little) { // big-endian 32-bit fields: move the low halves
            t[p + 6] = t[p + 4];
            t[p + 7] = t[p + 5];
            t[p + 4] = t[p + 5] = 0;
            t[p + 16] = t[p + 14];
            t[p + 17] = t[p + 15];
            t[p + 14] = t[p + 15] = 0;
        }
        return t;
    }

    private static void put16(byte[] b, int p, int v, boolean little) {
        b[p] = (byte) (little ? v : v >> 8);
        b[p + 1] = (byte) (little ? v >> 8 : v);
    }

    /** {@code jpeg} with an APP1 segment holding {@code exif} right after SOI. */
    private static byte[] withExif(byte[] jpeg, byte[] exif) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        out.write(jpeg, 0, 2);
        out.write(0xFF);
        out.write(0xE1);
        out.write((exif.length + 2) >> 8);
        out.write(exif.length + 2);
        out.writeBytes(exif);
        out.write(jpeg, 2, jpeg.length - 2);
        return out.toByteArray();
    }

    private static int indexOf(byte[] b, int... pattern) {
        outer:
        for (int i = 0; i + pattern.length <= b.length; i++) {
            for (int j = 0; j < pattern.length; j++) {
                if ((b[i + j] & 0xFF) != pattern[j]) {
                    continue outer;
                }
            }
            return i;
        }
        throw new IllegalArgumentException("pattern not found");
    }

    private static void assertCode(ProblemCode code, Executable call) {
        ProblemException e = assertThrows(ProblemException.class, call);
        assertEquals(code, e.code(), e.getMessage());
    }
}
