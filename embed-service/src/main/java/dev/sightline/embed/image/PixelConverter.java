package dev.sightline.embed.image;

import java.awt.image.BufferedImage;
import java.awt.image.ColorModel;
import java.awt.image.DataBufferByte;
import java.awt.image.IndexColorModel;
import java.awt.image.PixelInterleavedSampleModel;
import java.awt.image.Raster;

/**
 * Turns decoded samples into 8-bit RGB the way Pillow's {@code convert("RGB")} does.
 *
 * <p>Everything works on raw raster samples: {@code BufferedImage.getRGB} would apply colour-space conversions
 * (gamma for grey, ICC profiles) and alpha handling that Pillow does not.
 */
final class PixelConverter {

    /** The colour space of a JPEG's components, decided from its markers as libjpeg does. */
    enum JpegColor { GRAY, YCBCR, RGB, CMYK, YCCK }

    private static final int SCALEBITS = 16;
    private static final int ONE_HALF = 1 << (SCALEBITS - 1);
    private static final int[] CR_R = new int[256];
    private static final int[] CB_B = new int[256];
    private static final int[] CR_G = new int[256];
    private static final int[] CB_G = new int[256];

    static {
        // libjpeg's jdcolor.c tables; libjpeg-turbo (what Pillow links) uses the same fixed-point formula.
        for (int i = 0; i < 256; i++) {
            int x = i - 128;
            CR_R[i] = (fix(1.40200) * x + ONE_HALF) >> SCALEBITS;
            CB_B[i] = (fix(1.77200) * x + ONE_HALF) >> SCALEBITS;
            CR_G[i] = -fix(0.71414) * x;
            CB_G[i] = -fix(0.34414) * x + ONE_HALF;
        }
    }

    private PixelConverter() {
    }

    /** libjpeg's choice of colour space for a frame (jdapimin.c default_decompress_parms). */
    static JpegColor jpegColor(ImageHeaders.Jpeg h) {
        int[] id = h.componentIds();
        return switch (h.components()) {
            case 1 -> JpegColor.GRAY;
            case 3 -> {
                if (h.jfif()) {
                    yield JpegColor.YCBCR;
                }
                if (h.adobeTransform() >= 0) {
                    yield h.adobeTransform() == 0 ? JpegColor.RGB : JpegColor.YCBCR;
                }
                yield id[0] == 'R' && id[1] == 'G' && id[2] == 'B' ? JpegColor.RGB : JpegColor.YCBCR;
            }
            case 4 -> h.adobeTransform() > 0 ? JpegColor.YCCK : JpegColor.CMYK;
            default -> null;
        };
    }

    /**
     * RGB from the unconverted components that {@code ImageReader.readRaster} returns for a JPEG: libjpeg's
     * colour conversion, then for four components Pillow's "CMYK;I" unpacking (Adobe files store inverted
     * values) and its cmyk2rgb.
     */
    static byte[] jpegToRgb(Raster r, JpegColor color) {
        int w = r.getWidth();
        int h = r.getHeight();
        int bands = r.getNumBands();
        byte[] out = new byte[w * h * 3];
        Rows rows = new Rows(r);
        int o = 0;
        for (int y = 0; y < h; y++) {
            int[] s = rows.read(y);
            for (int x = 0, i = 0; x < w; x++, i += bands, o += 3) {
                switch (color) {
                    case GRAY -> out[o] = out[o + 1] = out[o + 2] = (byte) s[i];
                    case RGB -> {
                        out[o] = (byte) s[i];
                        out[o + 1] = (byte) s[i + 1];
                        out[o + 2] = (byte) s[i + 2];
                    }
                    case YCBCR -> {
                        int yy = s[i];
                        int cb = s[i + 1];
                        int cr = s[i + 2];
                        out[o] = (byte) clip(yy + CR_R[cr]);
                        out[o + 1] = (byte) clip(yy + ((CB_G[cb] + CR_G[cr]) >> SCALEBITS));
                        out[o + 2] = (byte) clip(yy + CB_B[cb]);
                    }
                    case CMYK -> cmykToRgb(s[i], s[i + 1], s[i + 2], s[i + 3], out, o);
                    case YCCK -> {
                        int yy = s[i];
                        int cb = s[i + 1];
                        int cr = s[i + 2];
                        cmykToRgb(clip(255 - (yy + CR_R[cr])),
                                clip(255 - (yy + ((CB_G[cb] + CR_G[cr]) >> SCALEBITS))),
                                clip(255 - (yy + CB_B[cb])), s[i + 3], out, o);
                    }
                }
            }
        }
        return out;
    }

    /**
     * RGB from an ImageIO image of any other format.
     *
     * @param palette     the container's own palette (RGB triplets) to use for indexed images instead of the
     *                    reader's, or null; indices past its end read as grey (i, i, i), Pillow's default palette
     * @param clampGray16 whether 16-bit grey clamps to 255 (Pillow opens 16-bit grey PNG as mode "I" and
     *                    converts with clipping) instead of keeping the high byte
     */
    static byte[] toRgb(BufferedImage img, byte[] palette, boolean clampGray16) {
        Raster r = img.getRaster();
        ColorModel cm = img.getColorModel();
        int w = r.getWidth();
        int h = r.getHeight();
        int bands = r.getNumBands();
        byte[] out = new byte[w * h * 3];
        Rows rows = new Rows(r);
        if (cm instanceof IndexColorModel icm) {
            byte[] pal = palette != null ? palette : paletteOf(icm);
            int o = 0;
            for (int y = 0; y < h; y++) {
                int[] s = rows.read(y);
                for (int x = 0; x < w * bands; x += bands, o += 3) {
                    paletteRgb(pal, s[x], out, o);
                }
            }
            return out;
        }
        int colors = cm.getNumColorComponents();
        if (colors != 1 && colors != 3) {
            throw new IllegalArgumentException("unsupported colour model with " + colors + " components");
        }
        int[][] lut = new int[colors][];
        for (int c = 0; c < colors; c++) {
            lut[c] = scaleTable(r.getSampleModel().getSampleSize(c), clampGray16 && colors == 1);
        }
        int o = 0;
        for (int y = 0; y < h; y++) {
            int[] s = rows.read(y);
            for (int i = 0; i < w * bands; i += bands, o += 3) {
                if (colors == 1) {
                    out[o] = out[o + 1] = out[o + 2] = (byte) lut[0][s[i]];
                } else {
                    out[o] = (byte) lut[0][s[i]];
                    out[o + 1] = (byte) lut[1][s[i + 1]];
                    out[o + 2] = (byte) lut[2][s[i + 2]];
                }
            }
        }
        return out;
    }

    /** Writes palette entry {@code index}, or grey (index, index, index) past the palette's end as Pillow does. */
    static void paletteRgb(byte[] palette, int index, byte[] out, int o) {
        int i = Math.min(index, 255);
        if (i * 3 + 2 < palette.length) {
            out[o] = palette[i * 3];
            out[o + 1] = palette[i * 3 + 1];
            out[o + 2] = palette[i * 3 + 2];
        } else {
            out[o] = out[o + 1] = out[o + 2] = (byte) i;
        }
    }

    /** Pillow's unpackers: low bit depths scale up by 255 / max (floor), 16 bits keep the high byte. */
    private static int[] scaleTable(int bits, boolean clamp) {
        if (bits < 1 || bits > 16) {
            throw new IllegalArgumentException("unsupported sample size " + bits);
        }
        int max = (1 << bits) - 1;
        int[] t = new int[max + 1];
        for (int v = 0; v <= max; v++) {
            if (bits == 8) {
                t[v] = v;
            } else if (bits < 8) {
                t[v] = v * 255 / max;
            } else {
                t[v] = clamp ? Math.min(v, 255) : v >>> (bits - 8);
            }
        }
        return t;
    }

    private static byte[] paletteOf(IndexColorModel icm) {
        int n = Math.min(icm.getMapSize(), 256);
        byte[] pal = new byte[n * 3];
        for (int i = 0; i < n; i++) {
            pal[i * 3] = (byte) icm.getRed(i);
            pal[i * 3 + 1] = (byte) icm.getGreen(i);
            pal[i * 3 + 2] = (byte) icm.getBlue(i);
        }
        return pal;
    }

    /** Pillow's cmyk2rgb on the stored (inverted, Adobe-convention) values: C = 255 - stored, nk = stored K. */
    private static void cmykToRgb(int sc, int sm, int sy, int sk, byte[] out, int o) {
        out[o] = (byte) (sk - mulDiv255(255 - sc, sk));
        out[o + 1] = (byte) (sk - mulDiv255(255 - sm, sk));
        out[o + 2] = (byte) (sk - mulDiv255(255 - sy, sk));
    }

    private static int mulDiv255(int a, int b) {
        int t = a * b + 128;
        return ((t >> 8) + t) >> 8;
    }

    private static int clip(int v) {
        return v < 0 ? 0 : Math.min(v, 255);
    }

    private static int fix(double x) {
        return (int) (x * (1L << SCALEBITS) + 0.5);
    }

    /** Reads one row of samples at a time, straight from the byte array when the layout allows. */
    private static final class Rows {
        private final Raster raster;
        private final int width;
        private final int bands;
        private final int[] buf;
        private final byte[] bytes;
        private int pixelStride;
        private int scanlineStride;
        private int base;
        private int[] bandOffsets;

        Rows(Raster raster) {
            this.raster = raster;
            this.width = raster.getWidth();
            this.bands = raster.getNumBands();
            this.buf = new int[width * bands];
            byte[] direct = null;
            if (raster.getDataBuffer() instanceof DataBufferByte db && db.getNumBanks() == 1
                    && raster.getSampleModel() instanceof PixelInterleavedSampleModel sm) {
                direct = db.getData();
                pixelStride = sm.getPixelStride();
                scanlineStride = sm.getScanlineStride();
                bandOffsets = sm.getBandOffsets();
                base = db.getOffset()
                        + (raster.getMinY() - raster.getSampleModelTranslateY()) * scanlineStride
                        + (raster.getMinX() - raster.getSampleModelTranslateX()) * pixelStride;
            }
            this.bytes = direct;
        }

        int[] read(int y) {
            if (bytes == null) {
                return raster.getPixels(raster.getMinX(), raster.getMinY() + y, width, 1, buf);
            }
            int p = base + y * scanlineStride;
            for (int x = 0, i = 0; x < width; x++, p += pixelStride) {
                for (int b = 0; b < bands; b++) {
                    buf[i++] = bytes[p + bandOffsets[b]] & 0xFF;
                }
            }
            return buf;
        }
    }
}
