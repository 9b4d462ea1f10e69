package dev.sightline.gateway.service;

import dev.sightline.common.problem.CommonProblem;
import dev.sightline.common.problem.ProblemException;

/** Shorthands for the request errors the services raise. */
final class Problems {

    private Problems() {
    }

    static ProblemException invalid(String detail) {
        return new ProblemException(CommonProblem.INVALID_REQUEST, detail);
    }

    static ProblemException tooLarge(String detail) {
        return new ProblemException(CommonProblem.PAYLOAD_TOO_LARGE, detail);
    }
}
