package dev.sightline.retrieval.media;

/**
 * What an image item keeps besides its vector.
 *
 * @param sourceSha256 SHA-256 of the uploaded image, kept or not
 * @param thumbnail null when the collection keeps none
 * @param original null unless the collection keeps originals
 */
public record ItemMedia(byte[] sourceSha256, Blob thumbnail, Blob original) {
}
