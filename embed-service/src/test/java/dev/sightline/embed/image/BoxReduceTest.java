package dev.sightline.embed.image;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import org.junit.jupiter.api.Test;

class BoxReduceTest {

    @Test
    void eachPixelIsTheRoundedMeanOfItsBlockAndEdgeBlocksAverageWhatTheyHold() {
        // 5 x 3 grey image (R = G = B), reduced 2 x 2 into 3 x 2.
        int[][] grey = {
            {0, 10, 20, 30, 40},
            {1, 11, 21, 31, 41},
            {100, 200, 255, 255, 7},
        };
        byte[] rgb = new byte[5 * 3 * 3];
        for (int y = 0; y < 3; y++) {
            for (int x = 0; x < 5; x++) {
                for (int c = 0; c < 3; c++) {
                    rgb[(y * 5 + x) * 3 + c] = (byte) grey[y][x];
                }
            }
        }
        RgbImage out = BoxReduce.reduce(new RgbImage(5, 3, rgb), 2, 2);
        assertEquals(3, out.width());
        assertEquals(2, out.height());
        int[] expected = {
            6, 26, 41,          // (0+10+1+11)/4 = 5.5 -> 6; (20+30+21+31)/4 = 25.5 -> 26; (40+41)/2 = 40.5 -> 41
            150, 255, 7,        // (100+200)/2; (255+255)/2; 7 alone
        };
        int[] actual = new int[6];
        for (int y = 0; y < 2; y++) {
            for (int x = 0; x < 3; x++) {
                actual[y * 3 + x] = out.sample(x, y, 1);
            }
        }
        assertArrayEquals(expected, actual);
    }

    @Test
    void aFactorOfOneCopiesAndANonPositiveFactorIsRefused() {
        RgbImage img = new RgbImage(2, 1, new byte[] {1, 2, 3, 4, 5, 6});
        assertArrayEquals(img.rgb(), BoxReduce.reduce(img, 1, 1).rgb());
        assertThrows(IllegalArgumentException.class, () -> BoxReduce.reduce(img, 0, 1));
    }
}
