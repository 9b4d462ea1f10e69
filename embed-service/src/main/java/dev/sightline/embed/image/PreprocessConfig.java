package dev.sightline.embed.image;

/**
 * CLIP image preprocessing parameters, as in a Hugging Face {@code preprocessor_config.json}.
 *
 * @param shortestEdge  the short side after resizing
 * @param cropHeight    centre crop height
 * @param cropWidth     centre crop width
 * @param mean          per-channel mean (R, G, B), subtracted after rescaling
 * @param std           per-channel standard deviation (R, G, B)
 * @param rescaleFactor multiplies each 8-bit value before normalisation
 */
public record PreprocessConfig(int shortestEdge, int cropHeight, int cropWidth, float[] mean, float[] std,
                               float rescaleFactor) {

    /** Validates the parameters and copies the arrays, so that the record stays immutable. */
    public PreprocessConfig {
        if (shortestEdge <= 0 || cropHeight <= 0 || cropWidth <= 0) {
            throw new IllegalArgumentException("sizes must be positive");
        }
        if (mean == null || std == null || mean.length != 3 || std.length != 3) {
            throw new IllegalArgumentException("mean and std need three values (R, G, B)");
        }
        mean = mean.clone();
        std = std.clone();
    }

    /** OpenAI CLIP's settings: 224 shortest edge, 224x224 crop, CLIP mean and std, 1/255. */
    public static PreprocessConfig clipDefaults() {
        return new PreprocessConfig(224, 224, 224,
                new float[] {0.48145466f, 0.4578275f, 0.40821073f},
                new float[] {0.26862954f, 0.26130258f, 0.27577711f},
                // The reference rounds the double 1/255 to float32 (np.float32(1 / 255.0)).
                (float) (1.0 / 255.0));
    }

    @Override
    public float[] mean() {
        return mean.clone();
    }

    @Override
    public float[] std() {
        return std.clone();
    }
}
