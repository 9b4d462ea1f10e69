package dev.sightline.retrieval;

import dev.sightline.common.problem.CommonProblem;
import dev.sightline.common.problem.ProblemException;

/**
 * How a search ranks: by vector similarity, by keyword match (full-text, the item's text and metadata strings), or
 * both fused with reciprocal rank fusion.
 */
public enum SearchMode {
    VECTOR, KEYWORD, HYBRID;

    public static SearchMode of(String wire) {
        if (wire == null) {
            return VECTOR;
        }
        return switch (wire) {
            case "vector" -> VECTOR;
            case "keyword" -> KEYWORD;
            case "hybrid" -> HYBRID;
            default -> throw new ProblemException(CommonProblem.INVALID_REQUEST,
                    "mode must be vector, keyword or hybrid.");
        };
    }
}
