package dev.sightline.embed.image;

/**
 * CLIP image preprocessing as Hugging Face's CLIPImageProcessor does it with Pillow: bicubic resize of the
 * shortest side, centre crop, rescale and per-channel normalisation into an NCHW float32 tensor.
 *
 * <p>Immutable and thread-safe.
 */
public final class ClipPreprocessor {

    private final PreprocessConfig config;
    /** Normalised value of every 8-bit sample per channel, computed once with the reference's float32 steps. */
    private final float[][] lut = new float[3][256];

    /** A preprocessor for {@code config}. */
    public ClipPreprocessor(PreprocessConfig config) {
        this.config = config;
        float[] mean = config.mean();
        float[] std = config.std();
        for (int c = 0; c < 3; c++) {
            for (int v = 0; v < 256; v++) {
                lut[c][v] = ((v * config.rescaleFactor()) - mean[c]) / std[c];
            }
        }
    }

    /** Floats one image occupies in the tensor: 3 x cropHeight x cropWidth. */
    public int tensorSize() {
        return 3 * config.cropHeight() * config.cropWidth();
    }

    /**
     * The resized and centre-cropped image.
     *
     * <p>Short side to {@code shortestEdge}, long side {@code (int) (shortestEdge * long / short)} as Python's
     * {@code int()} of a float division; crop at top = floor((h - cropH) / 2), left = floor((w - cropW) / 2).
     * When the resized image is smaller than the crop in a dimension, HF pads with zeros and centres the image
     * at ceil((crop - size) / 2), which is the same floor offset, now negative; those pixels stay 0.
     */
    public RgbImage resizeAndCrop(RgbImage image) {
        int w = image.width();
        int h = image.height();
        int size = config.shortestEdge();
        int shortSide = Math.min(w, h);
        int longSide = Math.max(w, h);
        int newLong = (int) ((double) ((long) size * longSide) / shortSide);
        int nw = w <= h ? size : newLong;
        int nh = w <= h ? newLong : size;
        int cw = config.cropWidth();
        int ch = config.cropHeight();
        int left = Math.floorDiv(nw - cw, 2);
        int top = Math.floorDiv(nh - ch, 2);
        if (left >= 0 && top >= 0) {
            return PilResize.resize(image, nw, nh, left, top, cw, ch);
        }
        // Rare: the crop is bigger than the resized image; resize the overlap and pad the rest with zeros.
        int x0 = Math.max(left, 0);
        int y0 = Math.max(top, 0);
        int ow = Math.min(nw, left + cw) - x0;
        int oh = Math.min(nh, top + ch) - y0;
        RgbImage part = PilResize.resize(image, nw, nh, x0, y0, ow, oh);
        byte[] out = new byte[cw * ch * 3];
        for (int y = 0; y < oh; y++) {
            System.arraycopy(part.rgb(), y * ow * 3, out, ((y0 - top + y) * cw + (x0 - left)) * 3, ow * 3);
        }
        return new RgbImage(cw, ch, out);
    }

    /**
     * Writes {@code crop} (cropWidth x cropHeight) as channel-first float32 into {@code dst} from {@code offset}:
     * ((v * rescaleFactor) - mean[c]) / std[c], each step in float as the numpy reference does.
     */
    public void toTensor(RgbImage crop, float[] dst, int offset) {
        int w = config.cropWidth();
        int h = config.cropHeight();
        if (crop.width() != w || crop.height() != h) {
            throw new IllegalArgumentException("crop is " + crop.width() + "x" + crop.height() + ", expected "
                    + w + "x" + h);
        }
        int plane = w * h;
        if (offset < 0 || offset > dst.length - 3 * plane) {
            throw new IllegalArgumentException("tensor of " + dst.length + " floats has no room at " + offset);
        }
        byte[] rgb = crop.rgb();
        float[] r = lut[0];
        float[] g = lut[1];
        float[] b = lut[2];
        for (int i = 0, p = 0; i < plane; i++, p += 3) {
            dst[offset + i] = r[rgb[p] & 0xFF];
            dst[offset + plane + i] = g[rgb[p + 1] & 0xFF];
            dst[offset + 2 * plane + i] = b[rgb[p + 2] & 0xFF];
        }
    }

    /** Resize, crop and normalise {@code image} into a new 3 x cropHeight x cropWidth tensor. */
    public float[] preprocess(RgbImage image) {
        float[] dst = new float[tensorSize()];
        toTensor(resizeAndCrop(image), dst, 0);
        return dst;
    }
}
