package dev.sightline.embed.image;

/**
 * Bounds-checked readers for the few container fields that ImageIO either hides or interprets differently
 * from Pillow. None of them throws on malformed input: a missing field reads as absent.
 */
final class ImageHeaders {

    private ImageHeaders() {
    }

    /** JPEG facts that decide the colour conversion, as libjpeg derives them from the markers. */
    record Jpeg(int components, int[] componentIds, boolean jfif, int adobeTransform, boolean hasEoi,
                int orientation) {
    }

    /**
     * PNG facts: IHDR depth and colour type, the PLTE entries (RGB triplets, or null), the eXIf orientation, and
     * whether a chunk before the image data claims more bytes than the file has (Pillow fails to open those).
     */
    record Png(int bitDepth, int colorType, byte[] palette, int orientation, boolean truncatedHeader) {
    }

    /**
     * The first GIF frame as Pillow places it: on a canvas of the logical screen, grown to hold the frame, filled
     * with the frame's transparent index (or 0); the palette is the local or else the global colour table.
     */
    record Gif(int canvasWidth, int canvasHeight, int frameX, int frameY, int frameWidth, int frameHeight,
               byte[] palette, int fillIndex) {
    }

    /** Walks the JPEG markers up to the first scan, then looks for the EOI marker. */
    static Jpeg jpeg(byte[] b) {
        int components = 0;
        int[] ids = new int[0];
        boolean jfif = false;
        boolean exifSeen = false;
        int adobe = -1;
        int orientation = ExifOrientation.NORMAL;
        boolean hasEoi = false;
        int p = 2;
        while (p < b.length) {
            // Like libjpeg, skip junk before a marker and any 0xFF fill bytes.
            if ((b[p] & 0xFF) != 0xFF) {
                p++;
                continue;
            }
            while (p < b.length && (b[p] & 0xFF) == 0xFF) {
                p++;
            }
            if (p >= b.length) {
                break;
            }
            int marker = b[p++] & 0xFF;
            if (marker == 0x00 || marker == 0x01 || marker == 0xD8 || (marker >= 0xD0 && marker <= 0xD7)) {
                continue;
            }
            if (marker == 0xD9 || p + 2 > b.length) {
                break;
            }
            int segment = u16be(b, p);
            if (segment < 2) {
                break;
            }
            int data = p + 2;
            int len = Math.min(segment - 2, b.length - data);
            if (marker == 0xE0 && len >= 14 && matches(b, data, "JFIF\0")) {
                jfif = true;
            } else if (marker == 0xE1 && !exifSeen && len >= 5 && matches(b, data, "Exif\0")) {
                // Pillow reads only the first Exif segment.
                exifSeen = true;
                orientation = ExifOrientation.fromTiff(b, data, len);
            } else if (marker == 0xEE && len >= 12 && matches(b, data, "Adobe")) {
                adobe = b[data + 11] & 0xFF;
            } else if (isStartOfFrame(marker) && components == 0 && len >= 6) {
                components = b[data + 5] & 0xFF;
                ids = new int[components];
                for (int i = 0; i < components; i++) {
                    int at = data + 6 + 3 * i;
                    ids[i] = at < data + len ? b[at] & 0xFF : -1;
                }
            } else if (marker == 0xDA) {
                // Entropy-coded data escapes every 0xFF, so FF D9 after the first scan can only be EOI.
                hasEoi = indexOf(b, data + len, 0xFF, 0xD9) >= 0;
                break;
            }
            p = data + segment - 2;
        }
        return new Jpeg(components, ids, jfif, adobe, hasEoi, orientation);
    }

    /** Walks the PNG chunks; stops at IEND or at the first chunk that runs past the end. */
    static Png png(byte[] b) {
        int depth = -1;
        int colorType = -1;
        byte[] palette = null;
        int orientation = ExifOrientation.NORMAL;
        boolean exifSeen = false;
        boolean idatSeen = false;
        boolean truncated = false;
        int p = 8;
        while (p + 8 <= b.length) {
            long len = u32be(b, p);
            idatSeen |= matches(b, p + 4, "IDAT");
            if (len > b.length - p - 8) {
                truncated = !idatSeen;
                break;
            }
            int data = p + 8;
            int n = (int) len;
            if (matches(b, p + 4, "IHDR") && n >= 13) {
                depth = b[data + 8] & 0xFF;
                colorType = b[data + 9] & 0xFF;
            } else if (matches(b, p + 4, "PLTE") && palette == null) {
                palette = java.util.Arrays.copyOfRange(b, data, data + Math.min(n / 3, 256) * 3);
            } else if (matches(b, p + 4, "eXIf") && !exifSeen) {
                exifSeen = true;
                orientation = ExifOrientation.fromTiff(b, data, n);
            } else if (matches(b, p + 4, "IEND")) {
                break;
            }
            p = data + n + 4;
        }
        return new Png(depth, colorType, palette, orientation, truncated);
    }

    /** Walks the GIF blocks to the first image descriptor, as Pillow's GifImageFile does; null if there is none. */
    static Gif gif(byte[] b) {
        if (b.length < 13) {
            return null;
        }
        int screenW = u16le(b, 6);
        int screenH = u16le(b, 8);
        int flags = b[10] & 0xFF;
        int p = 13;
        byte[] palette = null;
        if ((flags & 0x80) != 0) {
            int size = 3 << ((flags & 7) + 1);
            palette = java.util.Arrays.copyOfRange(b, p, Math.min(p + size, b.length));
            p += size;
        }
        int transparency = -1;
        while (p < b.length) {
            int tag = b[p++] & 0xFF;
            if (tag == ';') {
                return null;
            }
            if (tag == '!') {
                if (p >= b.length) {
                    return null;
                }
                int label = b[p++] & 0xFF;
                if (label == 0xF9 && p + 4 < b.length && (b[p] & 0xFF) >= 4 && (b[p + 1] & 1) != 0) {
                    transparency = b[p + 4] & 0xFF;
                }
                p = skipSubBlocks(b, p);
            } else if (tag == ',') {
                if (p + 9 > b.length) {
                    return null;
                }
                int x = u16le(b, p);
                int y = u16le(b, p + 2);
                int w = u16le(b, p + 4);
                int h = u16le(b, p + 6);
                int imageFlags = b[p + 8] & 0xFF;
                if ((imageFlags & 0x80) != 0) {
                    int size = 3 << ((imageFlags & 7) + 1);
                    palette = java.util.Arrays.copyOfRange(b, p + 9, Math.min(p + 9 + size, b.length));
                }
                return new Gif(Math.max(screenW, x + w), Math.max(screenH, y + h), x, y, w, h, palette,
                        Math.max(transparency, 0));
            }
            // Pillow silently skips any other byte between blocks.
        }
        return null;
    }

    /** The compression field of a BMP info header (0 = none), or -1 for the old OS/2 header or a short file. */
    static long bmpCompression(byte[] b) {
        if (b.length < 34) {
            return -1;
        }
        long headerSize = u32le(b, 14);
        return headerSize >= 40 ? u32le(b, 30) : -1;
    }

    /** The orientation in a WebP file's EXIF chunk; 1 when there is none. */
    static int webpOrientation(byte[] b) {
        int p = 12;
        while (p + 8 <= b.length) {
            long len = u32le(b, p + 4);
            if (len > b.length - p - 8) {
                break;
            }
            if (matches(b, p, "EXIF")) {
                return ExifOrientation.fromTiff(b, p + 8, (int) len);
            }
            p += 8 + (int) len + (int) (len & 1);
        }
        return ExifOrientation.NORMAL;
    }

    private static boolean isStartOfFrame(int marker) {
        return marker >= 0xC0 && marker <= 0xCF && marker != 0xC4 && marker != 0xC8 && marker != 0xCC;
    }

    private static int skipSubBlocks(byte[] b, int p) {
        while (p < b.length) {
            int size = b[p] & 0xFF;
            p += 1 + size;
            if (size == 0) {
                break;
            }
        }
        return p;
    }

    private static int indexOf(byte[] b, int from, int b0, int b1) {
        for (int i = Math.max(from, 0); i + 1 < b.length; i++) {
            if ((b[i] & 0xFF) == b0 && (b[i + 1] & 0xFF) == b1) {
                return i;
            }
        }
        return -1;
    }

    private static boolean matches(byte[] b, int p, String ascii) {
        if (p < 0 || p + ascii.length() > b.length) {
            return false;
        }
        for (int i = 0; i < ascii.length(); i++) {
            if (b[p + i] != (byte) ascii.charAt(i)) {
                return false;
            }
        }
        return true;
    }

    private static int u16be(byte[] b, int p) {
        return (b[p] & 0xFF) << 8 | (b[p + 1] & 0xFF);
    }

    private static int u16le(byte[] b, int p) {
        return (b[p] & 0xFF) | (b[p + 1] & 0xFF) << 8;
    }

    private static long u32be(byte[] b, int p) {
        return (long) u16be(b, p) << 16 | u16be(b, p + 2);
    }

    private static long u32le(byte[] b, int p) {
        return (long) u16le(b, p + 2) << 16 | u16le(b, p);
    }
}
