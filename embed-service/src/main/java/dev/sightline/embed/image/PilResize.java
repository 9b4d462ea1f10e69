package dev.sightline.embed.image;

/**
 * A port of Pillow's {@code ImagingResample} (src/libImaging/Resample.c) for 8-bit RGB with the BICUBIC
 * filter, bit-exact with {@code Image.resize(size, Image.BICUBIC)}.
 *
 * <p>Coefficients are computed in double exactly as the C code does, then rounded to 22-bit fixed point; the
 * horizontal pass runs first into an 8-bit intermediate, then the vertical pass. A pass whose size does not
 * change is skipped, as Pillow skips it. Since every output pixel depends only on its own coefficients, a
 * window of the result can be computed alone, which is how the centre crop avoids resizing pixels it drops.
 */
public final class PilResize {

    private static final int PRECISION_BITS = 32 - 8 - 2;
    private static final double SUPPORT = 2.0;

    private PilResize() {
    }

    /** {@code src} resized to {@code outWidth} x {@code outHeight}. */
    public static RgbImage resize(RgbImage src, int outWidth, int outHeight) {
        return resize(src, outWidth, outHeight, 0, 0, outWidth, outHeight);
    }

    /**
     * The window ({@code x0}, {@code y0}, {@code width}, {@code height}) of {@code src} resized to
     * {@code outWidth} x {@code outHeight}; the window must lie inside the resized image.
     */
    public static RgbImage resize(RgbImage src, int outWidth, int outHeight, int x0, int y0, int width, int height) {
        if (outWidth <= 0 || outHeight <= 0 || width <= 0 || height <= 0 || x0 < 0 || y0 < 0
                || x0 > outWidth - width || y0 > outHeight - height) {
            throw new IllegalArgumentException("window " + x0 + "," + y0 + " " + width + "x" + height
                    + " is not inside " + outWidth + "x" + outHeight);
        }
        int inW = src.width();
        int inH = src.height();
        boolean horizontal = outWidth != inW;
        boolean vertical = outHeight != inH;
        Coefficients cx = horizontal ? Coefficients.of(inW, outWidth, x0, width) : null;
        Coefficients cy = vertical ? Coefficients.of(inH, outHeight, y0, height) : null;

        // Source rows the vertical pass reads (or, without one, the rows of the window itself).
        int firstRow = vertical ? cy.firstInput() : y0;
        int rows = vertical ? cy.lastInput() - firstRow : height;
        byte[] in = src.rgb();
        byte[] temp = new byte[rows * width * 3];
        if (horizontal) {
            horizontalPass(in, inW, firstRow, rows, cx, temp, width);
        } else {
            for (int r = 0; r < rows; r++) {
                System.arraycopy(in, ((firstRow + r) * inW + x0) * 3, temp, r * width * 3, width * 3);
            }
        }
        if (!vertical) {
            return new RgbImage(width, height, temp);
        }
        byte[] out = new byte[width * height * 3];
        verticalPass(temp, width, firstRow, cy, out, height);
        return new RgbImage(width, height, out);
    }

    private static void horizontalPass(byte[] in, int inW, int firstRow, int rows, Coefficients c, byte[] out,
                                       int outW) {
        int ksize = c.ksize;
        int o = 0;
        for (int r = 0; r < rows; r++) {
            int rowBase = (firstRow + r) * inW * 3;
            for (int xx = 0; xx < outW; xx++, o += 3) {
                int min = c.bounds[xx * 2];
                int n = c.bounds[xx * 2 + 1];
                int k0 = xx * ksize;
                int ss0 = 1 << (PRECISION_BITS - 1);
                int ss1 = ss0;
                int ss2 = ss0;
                int p = rowBase + min * 3;
                for (int x = 0; x < n; x++, p += 3) {
                    int k = c.kk[k0 + x];
                    ss0 += (in[p] & 0xFF) * k;
                    ss1 += (in[p + 1] & 0xFF) * k;
                    ss2 += (in[p + 2] & 0xFF) * k;
                }
                out[o] = clip8(ss0);
                out[o + 1] = clip8(ss1);
                out[o + 2] = clip8(ss2);
            }
        }
    }

    private static void verticalPass(byte[] in, int w, int firstRow, Coefficients c, byte[] out, int outH) {
        int ksize = c.ksize;
        int stride = w * 3;
        // Whole rows at a time: sequential access the JIT vectorises; integer sums, so the order of the
        // additions does not change the result.
        int[] acc = new int[stride];
        int o = 0;
        for (int yy = 0; yy < outH; yy++) {
            int min = c.bounds[yy * 2] - firstRow;
            int n = c.bounds[yy * 2 + 1];
            int k0 = yy * ksize;
            java.util.Arrays.fill(acc, 1 << (PRECISION_BITS - 1));
            for (int y = 0; y < n; y++) {
                int k = c.kk[k0 + y];
                int p = (min + y) * stride;
                for (int i = 0; i < stride; i++) {
                    acc[i] += (in[p + i] & 0xFF) * k;
                }
            }
            for (int i = 0; i < stride; i++, o++) {
                out[o] = clip8(acc[i]);
            }
        }
    }

    private static byte clip8(int ss) {
        int v = ss >> PRECISION_BITS;
        return (byte) (v < 0 ? 0 : Math.min(v, 255));
    }

    /** Pillow's bicubic_filter, a = -0.5. */
    static double bicubic(double x) {
        if (x < 0.0) {
            x = -x;
        }
        if (x < 1.0) {
            return ((-0.5 + 2.0) * x - (-0.5 + 3.0)) * x * x + 1;
        }
        if (x < 2.0) {
            return (((x - 5) * x + 8) * x - 4) * -0.5;
        }
        return 0.0;
    }

    /** Fixed-point coefficients for output positions [first, first + count) of one axis. */
    static final class Coefficients {
        final int ksize;
        /** Per output position: first input index and number of inputs. */
        final int[] bounds;
        /** Per output position: ksize coefficients in 22-bit fixed point. */
        final int[] kk;

        private Coefficients(int ksize, int[] bounds, int[] kk) {
            this.ksize = ksize;
            this.bounds = bounds;
            this.kk = kk;
        }

        /** Pillow's precompute_coeffs followed by normalize_coeffs_8bpc, for a window of the output. */
        static Coefficients of(int inSize, int outSize, int first, int count) {
            // Pillow takes the box edges as floats; (float) keeps that for sizes past 2^24 too.
            double scale = (double) (float) inSize / outSize;
            double filterscale = Math.max(scale, 1.0);
            double support = SUPPORT * filterscale;
            int ksize = (int) Math.ceil(support) * 2 + 1;
            int[] bounds = new int[count * 2];
            int[] kk = new int[count * ksize];
            double[] k = new double[ksize];
            for (int i = 0; i < count; i++) {
                int xx = first + i;
                double center = (xx + 0.5) * scale;
                double ww = 0.0;
                double ss = 1.0 / filterscale;
                int xmin = (int) (center - support + 0.5);
                if (xmin < 0) {
                    xmin = 0;
                }
                int xmax = (int) (center + support + 0.5);
                if (xmax > inSize) {
                    xmax = inSize;
                }
                xmax -= xmin;
                for (int x = 0; x < xmax; x++) {
                    double w = bicubic((x + xmin - center + 0.5) * ss);
                    k[x] = w;
                    ww += w;
                }
                for (int x = 0; x < xmax; x++) {
                    if (ww != 0.0) {
                        k[x] /= ww;
                    }
                    double v = k[x];
                    kk[i * ksize + x] = (int) (v < 0 ? -0.5 + v * (1 << PRECISION_BITS)
                            : 0.5 + v * (1 << PRECISION_BITS));
                }
                bounds[i * 2] = xmin;
                bounds[i * 2 + 1] = xmax;
            }
            return new Coefficients(ksize, bounds, kk);
        }

        /** The first input index any output position of this window reads. */
        int firstInput() {
            int min = Integer.MAX_VALUE;
            for (int i = 0; i < bounds.length; i += 2) {
                min = Math.min(min, bounds[i]);
            }
            return min;
        }

        /** One past the last input index any output position of this window reads. */
        int lastInput() {
            int max = 0;
            for (int i = 0; i < bounds.length; i += 2) {
                max = Math.max(max, bounds[i] + bounds[i + 1]);
            }
            return max;
        }
    }
}
