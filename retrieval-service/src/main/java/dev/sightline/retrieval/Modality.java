package dev.sightline.retrieval;

import com.fasterxml.jackson.annotation.JsonValue;
import dev.sightline.common.problem.CommonProblem;
import dev.sightline.common.problem.ProblemException;

/** What an item's vector was computed from. */
public enum Modality {
    IMAGE, TEXT;

    @JsonValue
    public String wire() {
        return name().toLowerCase();
    }

    /** Parses "image" or "text"; anything else is an invalid request. */
    public static Modality of(String s) {
        if ("image".equals(s)) {
            return IMAGE;
        }
        if ("text".equals(s)) {
            return TEXT;
        }
        throw new ProblemException(CommonProblem.INVALID_REQUEST, "modality must be image or text.");
    }
}
