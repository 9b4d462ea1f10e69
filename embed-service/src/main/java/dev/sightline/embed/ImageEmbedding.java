package dev.sightline.embed;

import dev.sightline.embed.image.Thumbnail;

/**
 * An image's L2-normalised embedding and, when asked for, its thumbnail (made from the same decoded pixels).
 *
 * @param thumbnail null when not asked for
 */
public record ImageEmbedding(float[] vector, Thumbnail thumbnail) {
}
