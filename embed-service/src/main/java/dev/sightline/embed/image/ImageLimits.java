package dev.sightline.embed.image;

/**
 * Bounds that {@link ImageDecoder} enforces before decoding pixels.
 *
 * @param maxBytes  largest accepted encoded size in bytes
 * @param maxPixels largest accepted width * height, checked from the header so that a small file cannot make
 *                  the decoder allocate a huge raster
 * @param minSide   smallest accepted width or height
 */
public record ImageLimits(long maxBytes, long maxPixels, int minSide) {

    /** Validates the bounds. */
    public ImageLimits {
        if (maxBytes <= 0 || maxPixels <= 0 || minSide < 1) {
            throw new IllegalArgumentException("invalid image limits: " + maxBytes + ", " + maxPixels + ", " + minSide);
        }
    }
}
