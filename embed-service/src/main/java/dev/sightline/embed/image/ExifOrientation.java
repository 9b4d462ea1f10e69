package dev.sightline.embed.image;

/**
 * Reads the EXIF orientation tag and applies it as Pillow's {@code ImageOps.exif_transpose} does.
 *
 * <p>Parsing is lenient: anything malformed means orientation 1, never an exception, because an image with a
 * broken EXIF block is still an image.
 */
final class ExifOrientation {

    static final int NORMAL = 1;

    private static final int TAG_ORIENTATION = 0x0112;

    private ExifOrientation() {
    }

    /**
     * The orientation (1..8) in the TIFF structure at {@code b[off, off + len)}, which may start with the
     * {@code "Exif\0\0"} prefix that JPEG APP1 and WebP EXIF chunks carry; 1 when absent or malformed.
     */
    static int fromTiff(byte[] b, int off, int len) {
        if (b == null || off < 0 || len < 0 || off > b.length - len) {
            return NORMAL;
        }
        int end = off + len;
        if (len >= 6 && b[off] == 'E' && b[off + 1] == 'x' && b[off + 2] == 'i' && b[off + 3] == 'f'
                && b[off + 4] == 0 && b[off + 5] == 0) {
            off += 6;
        }
        if (end - off < 8) {
            return NORMAL;
        }
        boolean little;
        if (b[off] == 'I' && b[off + 1] == 'I') {
            little = true;
        } else if (b[off] == 'M' && b[off + 1] == 'M') {
            little = false;
        } else {
            return NORMAL;
        }
        // Pillow accepts either byte order's magic (42) regardless of the declared order.
        int magic = u16(b, off + 2, little);
        if (magic != 42 && magic != (42 << 8)) {
            return NORMAL;
        }
        long ifd = u32(b, off + 4, little);
        if (ifd < 0 || ifd > end - off - 2) {
            return NORMAL;
        }
        int p = off + (int) ifd;
        int count = u16(b, p, little);
        p += 2;
        int orientation = NORMAL;
        for (int i = 0; i < count && p + 12 <= end; i++, p += 12) {
            if (u16(b, p, little) != TAG_ORIENTATION) {
                continue;
            }
            int type = u16(b, p + 2, little);
            if (type < 1 || type > 13) {
                continue; // Pillow skips entries of unknown type
            }
            // Pillow keeps the last entry of a tag; a multi-valued or non-integer one matches no orientation.
            int value = NORMAL;
            if (u32(b, p + 4, little) == 1) {
                value = switch (type) {
                    case 1, 6 -> b[p + 8] & 0xFF;       // BYTE, SBYTE
                    case 3, 8 -> u16(b, p + 8, little); // SHORT, SSHORT
                    case 4, 9 -> (int) Math.min(u32(b, p + 8, little), Integer.MAX_VALUE); // LONG, SLONG
                    default -> NORMAL;
                };
            }
            orientation = value >= 1 && value <= 8 ? value : NORMAL;
        }
        return orientation;
    }

    /** The image transposed for {@code orientation}, exactly like Pillow's transpose methods; 1 returns it as is. */
    static RgbImage apply(RgbImage src, int orientation) {
        if (orientation < 2 || orientation > 8) {
            return src;
        }
        int w = src.width();
        int h = src.height();
        boolean swap = orientation >= 5;
        int ow = swap ? h : w;
        int oh = swap ? w : h;
        byte[] in = src.rgb();
        byte[] out = new byte[in.length];
        int o = 0;
        for (int y = 0; y < oh; y++) {
            for (int x = 0; x < ow; x++, o += 3) {
                int sx;
                int sy;
                switch (orientation) {
                    case 2 -> { sx = w - 1 - x; sy = y; }             // FLIP_LEFT_RIGHT
                    case 3 -> { sx = w - 1 - x; sy = h - 1 - y; }     // ROTATE_180
                    case 4 -> { sx = x; sy = h - 1 - y; }             // FLIP_TOP_BOTTOM
                    case 5 -> { sx = y; sy = x; }                     // TRANSPOSE
                    case 6 -> { sx = y; sy = h - 1 - x; }             // ROTATE_270
                    case 7 -> { sx = w - 1 - y; sy = h - 1 - x; }     // TRANSVERSE
                    default -> { sx = w - 1 - y; sy = x; }            // 8: ROTATE_90
                }
                int i = (sy * w + sx) * 3;
                out[o] = in[i];
                out[o + 1] = in[i + 1];
                out[o + 2] = in[i + 2];
            }
        }
        return new RgbImage(ow, oh, out);
    }

    private static int u16(byte[] b, int p, boolean little) {
        int b0 = b[p] & 0xFF;
        int b1 = b[p + 1] & 0xFF;
        return little ? b0 | b1 << 8 : b0 << 8 | b1;
    }

    private static long u32(byte[] b, int p, boolean little) {
        long lo = u16(b, little ? p : p + 2, little);
        long hi = u16(b, little ? p + 2 : p, little);
        return hi << 16 | lo;
    }
}
