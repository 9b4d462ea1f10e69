package dev.sightline.embed.image;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

import java.util.Random;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotSame;
import static org.junit.jupiter.api.Assertions.assertThrows;

class PilResizeTest {

    @Test
    void constantImageStaysConstant() {
        for (int[] size : new int[][] {{7, 5, 224, 160}, {400, 300, 37, 29}, {3, 3, 3, 50}, {1, 1, 9, 4}}) {
            byte[] rgb = new byte[size[0] * size[1] * 3];
            for (int i = 0; i < rgb.length; i += 3) {
                rgb[i] = 17;
                rgb[i + 1] = (byte) 200;
                rgb[i + 2] = (byte) 255;
            }
            RgbImage out = PilResize.resize(new RgbImage(size[0], size[1], rgb), size[2], size[3]);
            for (int i = 0; i < out.rgb().length; i += 3) {
                assertEquals(17, out.rgb()[i] & 0xFF);
                assertEquals(200, out.rgb()[i + 1] & 0xFF);
                assertEquals(255, out.rgb()[i + 2] & 0xFF);
            }
        }
    }

    /**
     * 2x1 to 4x1 by hand with Pillow's formula. scale 0.5, support 2: output 0 (centre 0.25) weighs inputs
     * 0 and 1 by bicubic(0.25) = 111/128 and bicubic(1.25) = -9/128, normalised to 37/34 and -3/34, i.e.
     * 4564390 and -370086 in 22-bit fixed point; output 1 (centre 0.75) by bicubic(0.25), bicubic(0.75) =
     * 111/128, 29/128 -> 111/140, 29/140 -> 3325484, 868820; outputs 2 and 3 mirror these. For inputs 0 and 255:
     * (2^21 - 255 * 370086) >> 22 < 0 -> 0; (2^21 + 255 * 868820) >> 22 = 53; (2^21 + 255 * 3325484) >> 22 = 202;
     * (2^21 + 255 * 4564390) >> 22 = 278 -> 255. Pillow 9.4 gives the same.
     */
    @Test
    void upscalesTwoPixelsAsPillowDoes() {
        RgbImage in = new RgbImage(2, 1, TestImages.bytes(0, 100, 7, 255, 50, 7));
        int[] expected = {0, 104, 7, 53, 90, 7, 202, 60, 7, 255, 46, 7};
        assertArrayEquals(expected, TestImages.unsigned(PilResize.resize(in, 4, 1).rgb()));
        RgbImage column = new RgbImage(1, 2, TestImages.bytes(0, 100, 7, 255, 50, 7));
        assertArrayEquals(expected, TestImages.unsigned(PilResize.resize(column, 1, 4).rgb()));
    }

    @Test
    void downscalesThreePixelsAsPillowDoes() {
        // scale 1.5 widens the support to 3: output 0 weighs all three inputs by 0.9375, 0.5625, -0.0579 (/ sum)
        RgbImage in = new RgbImage(3, 1, TestImages.bytes(0, 100, 7, 255, 50, 7, 30, 60, 90));
        assertArrayEquals(new int[] {98, 82, 4, 119, 54, 61}, TestImages.unsigned(PilResize.resize(in, 2, 1).rgb()));
    }

    /** Hashes of Pillow 9.4's {@code resize(size, BICUBIC)} of {@link #pattern} images. */
    @ParameterizedTest
    @CsvSource({
        "97, 61, 37, 23, 193cec82b4dd63f899037d6d389b972415ddf006424af7a8a8281a6ef13dfb30",
        "97, 61, 300, 200, 78aec684b227af32a7675ccd5de009b7a8a2de0f35ee6d759dedbefa51dbb437",
        "5, 3, 224, 134, fd1a88924b27047ad07afa609eab36dba6a07d2d32ed2a2bdfe345131ce8d469",
        "640, 480, 298, 224, 224051f7da4b2fc4c37de6bf770b7d9c552a1480fc8a1711a4d0a3496471f3b2",
        "1, 7, 3, 20, 4c31c9a74e5390283e4f87183445296a698d7b6524f70dc8685ddf0651c1a8c3",
        "13, 1, 224, 17, fc6489e385945fcfc8acbc366040021e38e7003832a61aaee1c213936e1742a2",
        "97, 61, 97, 30, 3e159d3f6148de8aa4462c7bdf7c83894088b2761726e2c13dbd1024012cd479",
        "97, 61, 20, 61, 80db9ef0fee3a09c276c136603d609599d0920efc9a073576b4431ff186448ea",
    })
    void matchesPillowOnPatterns(int w, int h, int outW, int outH, String sha) {
        assertEquals(sha, TestImages.sha256(PilResize.resize(pattern(w, h), outW, outH).rgb()));
    }

    @Test
    void windowEqualsThatPartOfTheFullResize() {
        Random random = new Random(42);
        for (int i = 0; i < 40; i++) {
            RgbImage src = ClipPreprocessorParityTest.randomImage(1 + random.nextInt(60), 1 + random.nextInt(60), i);
            int outW = 1 + random.nextInt(90);
            int outH = 1 + random.nextInt(90);
            int x0 = random.nextInt(outW);
            int y0 = random.nextInt(outH);
            int w = 1 + random.nextInt(outW - x0);
            int h = 1 + random.nextInt(outH - y0);
            RgbImage full = PilResize.resize(src, outW, outH);
            RgbImage window = PilResize.resize(src, outW, outH, x0, y0, w, h);
            for (int y = 0; y < h; y++) {
                for (int x = 0; x < w; x++) {
                    for (int c = 0; c < 3; c++) {
                        assertEquals(full.sample(x0 + x, y0 + y, c), window.sample(x, y, c));
                    }
                }
            }
        }
    }

    @Test
    void sameSizeCopiesPixels() {
        RgbImage src = ClipPreprocessorParityTest.randomImage(31, 17, 3);
        RgbImage out = PilResize.resize(src, 31, 17);
        assertNotSame(src.rgb(), out.rgb());
        assertArrayEquals(src.rgb(), out.rgb());
    }

    @Test
    void rejectsWindowOutsideTheResult() {
        RgbImage src = ClipPreprocessorParityTest.randomImage(4, 4, 1);
        assertThrows(IllegalArgumentException.class, () -> PilResize.resize(src, 8, 8, 4, 0, 5, 8));
        assertThrows(IllegalArgumentException.class, () -> PilResize.resize(src, 0, 8));
    }

    /** ((x * 31 + y * 17 + c * 7) ^ (x * y + c)) & 255, the same formula the Pillow hashes were made from. */
    static RgbImage pattern(int w, int h) {
        byte[] rgb = new byte[w * h * 3];
        for (int y = 0; y < h; y++) {
            for (int x = 0; x < w; x++) {
                for (int c = 0; c < 3; c++) {
                    rgb[(y * w + x) * 3 + c] = (byte) (((x * 31 + y * 17 + c * 7) ^ (x * y + c)) & 255);
                }
            }
        }
        return new RgbImage(w, h, rgb);
    }
}
