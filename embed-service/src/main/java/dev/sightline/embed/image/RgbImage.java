package dev.sightline.embed.image;

/**
 * An 8-bit RGB image, pixels interleaved row by row ({@code rgb[(y * width + x) * 3 + c]}).
 *
 * <p>The array is shared, not copied: callers must not modify it after handing it over.
 */
public record RgbImage(int width, int height, byte[] rgb) {

    /** Validates the dimensions against the pixel array. */
    public RgbImage {
        if (width <= 0 || height <= 0) {
            throw new IllegalArgumentException("image dimensions must be positive: " + width + "x" + height);
        }
        if (rgb == null || rgb.length != (long) width * height * 3) {
            throw new IllegalArgumentException("rgb array does not hold " + width + "x" + height + " RGB pixels");
        }
    }

    /** The red, green or blue value (0..255) of pixel (x, y). */
    public int sample(int x, int y, int channel) {
        return rgb[(y * width + x) * 3 + channel] & 0xFF;
    }
}
