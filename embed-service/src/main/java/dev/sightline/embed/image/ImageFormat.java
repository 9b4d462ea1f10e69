package dev.sightline.embed.image;

/** The encoded formats {@link ImageDecoder} accepts, recognised by their leading bytes. */
public enum ImageFormat {
    PNG, JPEG, GIF, BMP, WEBP;

    /** The format's media type, {@code image/…}. */
    public String mimeType() {
        return "image/" + name().toLowerCase();
    }

    /** The format whose signature {@code b} starts with, or null. */
    public static ImageFormat sniff(byte[] b) {
        if (startsWith(b, 0, 0x89, 'P', 'N', 'G', 0x0D, 0x0A, 0x1A, 0x0A)) {
            return PNG;
        }
        if (startsWith(b, 0, 0xFF, 0xD8, 0xFF)) {
            return JPEG;
        }
        if (startsWith(b, 0, 'G', 'I', 'F', '8') && (startsWith(b, 4, '7', 'a') || startsWith(b, 4, '9', 'a'))) {
            return GIF;
        }
        if (startsWith(b, 0, 'B', 'M')) {
            return BMP;
        }
        if (startsWith(b, 0, 'R', 'I', 'F', 'F') && startsWith(b, 8, 'W', 'E', 'B', 'P')) {
            return WEBP;
        }
        return null;
    }

    private static boolean startsWith(byte[] b, int offset, int... signature) {
        if (b.length < offset + signature.length) {
            return false;
        }
        for (int i = 0; i < signature.length; i++) {
            if ((b[offset + i] & 0xFF) != signature[i]) {
                return false;
            }
        }
        return true;
    }
}
