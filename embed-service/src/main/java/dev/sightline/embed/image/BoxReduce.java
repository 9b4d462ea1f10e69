package dev.sightline.embed.image;

/**
 * A box reduction like Pillow's {@code Image.reduce(factor)}: each output pixel is the rounded mean of a {@code fx}
 * x {@code fy} block of the source; blocks cut by the right or bottom edge average the pixels they hold. A thumbnail
 * reduces a large image this way before the bicubic resample (Pillow's {@code reducing_gap}), so that the costly
 * filter runs on a few times the output's pixels rather than on all of the source's. Not byte-exact with Pillow,
 * unlike {@link PilResize}: Pillow rounds with a fixed-point reciprocal and resamples the reduced image over a
 * fractional box; a thumbnail is only looked at, never embedded.
 */
final class BoxReduce {

    private BoxReduce() {
    }

    static RgbImage reduce(RgbImage src, int fx, int fy) {
        if (fx < 1 || fy < 1) {
            throw new IllegalArgumentException("reduction factors must be positive: " + fx + "x" + fy);
        }
        int w = src.width();
        int h = src.height();
        int outW = (w + fx - 1) / fx;
        int outH = (h + fy - 1) / fy;
        byte[] in = src.rgb();
        byte[] out = new byte[outW * outH * 3];
        int[] sums = new int[outW * 3];
        for (int oy = 0; oy < outH; oy++) {
            java.util.Arrays.fill(sums, 0);
            int y1 = Math.min(h, (oy + 1) * fy);
            for (int y = oy * fy; y < y1; y++) {
                int p = y * w * 3;
                for (int ox = 0, s = 0; ox < outW; ox++, s += 3) {
                    int r = 0;
                    int g = 0;
                    int b = 0;
                    for (int x = Math.min(w - ox * fx, fx); x > 0; x--, p += 3) {
                        r += in[p] & 0xFF;
                        g += in[p + 1] & 0xFF;
                        b += in[p + 2] & 0xFF;
                    }
                    sums[s] += r;
                    sums[s + 1] += g;
                    sums[s + 2] += b;
                }
            }
            int rows = y1 - oy * fy;
            for (int ox = 0; ox < outW; ox++) {
                int n = rows * (Math.min(w, (ox + 1) * fx) - ox * fx);
                int o = (oy * outW + ox) * 3;
                for (int c = 0; c < 3; c++) {
                    out[o + c] = (byte) ((sums[ox * 3 + c] + n / 2) / n);
                }
            }
        }
        return new RgbImage(outW, outH, out);
    }
}
