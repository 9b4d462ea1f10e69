package dev.sightline.common.zeroshot;

/**
 * One label's result.
 *
 * @param score softmax probability over the labels of logit_scale x cosine
 * @param similarity cosine similarity of the image and the label's prompt embedding
 */
public record Prediction(String label, double score, double similarity) {
}
