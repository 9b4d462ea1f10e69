package dev.sightline.embed.image;

import static dev.sightline.embed.image.TestImages.LENIENT;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.awt.image.BufferedImage;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.util.List;
import javax.imageio.ImageIO;
import org.junit.jupiter.api.Test;

class ThumbnailTest {

    @Test
    void theLongestSideBecomesTheLimitAndSmallImagesKeepTheirSize() {
        assertArrayEquals(new int[] {256, 171}, Thumbnail.size(360, 240, 256)); // 170.67 rounds up
        assertArrayEquals(new int[] {171, 256}, Thumbnail.size(240, 360, 256));
        assertArrayEquals(new int[] {256, 256}, Thumbnail.size(1000, 1000, 256));
        assertArrayEquals(new int[] {256, 1}, Thumbnail.size(4000, 10, 256)); // never a zero side
        assertArrayEquals(new int[] {100, 50}, Thumbnail.size(100, 50, 256));
        assertArrayEquals(new int[] {256, 200}, Thumbnail.size(256, 200, 256));
    }

    @Test
    void aThumbnailIsAJpegOfTheUprightImageResampledAsPillowDoes() throws IOException {
        // Stored 360 x 240 with EXIF orientation 6: upright it is 240 x 360, so its thumbnail is 171 x 256.
        RgbImage upright = ImageDecoder.decode(TestImages.fixture("images/exif-rotated.jpg"), LENIENT);
        Thumbnail t = Thumbnail.of(upright, 256, 85);
        assertEquals(171, t.width());
        assertEquals(256, t.height());
        BufferedImage back = ImageIO.read(new ByteArrayInputStream(t.jpeg()));
        assertEquals(171, back.getWidth());
        assertEquals(256, back.getHeight());
        // The JPEG holds PilResize's pixels (byte-exact with Pillow in PilResizeTest) up to JPEG's own error.
        double mean = meanAbsoluteError(back, PilResize.resize(upright, 171, 256));
        assertTrue(mean < 3, "mean absolute error " + mean);
    }

    @Test
    void aLargeImageIsBoxReducedFirstAndStaysCloseToADirectResample() throws IOException {
        // 1600 x 1200 to 256 x 192: reduced 3 x 3 (533 x 400, over twice the size), then resampled.
        RgbImage photo = ImageDecoder.decode(TestImages.fixture("images/large.jpg"), LENIENT);
        Thumbnail t = Thumbnail.of(photo, 256, 95);
        BufferedImage back = ImageIO.read(new ByteArrayInputStream(t.jpeg()));
        assertEquals(List.of(256, 192), List.of(back.getWidth(), back.getHeight()));
        double mean = meanAbsoluteError(back, PilResize.resize(photo, 256, 192));
        assertTrue(mean < 3, "mean absolute error " + mean);
    }

    @Test
    void aSmallImageIsEncodedAtItsOwnSize() throws IOException {
        RgbImage tiny = ImageDecoder.decode(TestImages.fixture("images/tiny.png"), LENIENT);
        Thumbnail t = Thumbnail.of(tiny, 256, 85);
        BufferedImage back = ImageIO.read(new ByteArrayInputStream(t.jpeg()));
        assertEquals(tiny.width(), back.getWidth());
        assertEquals(tiny.height(), back.getHeight());
    }

    /** Mean absolute difference per channel between a decoded JPEG and the pixels it was made from. */
    private static double meanAbsoluteError(BufferedImage jpeg, RgbImage expected) {
        double error = 0;
        for (int y = 0; y < expected.height(); y++) {
            for (int x = 0; x < expected.width(); x++) {
                int rgb = jpeg.getRGB(x, y);
                error += Math.abs(((rgb >> 16) & 0xFF) - expected.sample(x, y, 0))
                        + Math.abs(((rgb >> 8) & 0xFF) - expected.sample(x, y, 1))
                        + Math.abs((rgb & 0xFF) - expected.sample(x, y, 2));
            }
        }
        return error / (expected.width() * expected.height() * 3.0);
    }
}
