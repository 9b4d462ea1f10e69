package dev.sightline.embed;

/** One text's embedding and the number of tokens the model saw (start and end tokens included). */
public record TextEmbedding(float[] vector, int tokens) {
}
