package dev.sightline.retrieval;

/**
 * A live item as a migration embeds it again: its text, or its original image's bytes.
 *
 * @param seq the dirty list's write counter when read from it (0 for the scan)
 * @param modality null when the item no longer exists (a dirty id deleted since)
 */
public record SourceItem(String id, long seq, String modality, String text, byte[] original) {
}
