package dev.sightline.retrieval.api;

import dev.sightline.common.problem.CommonProblem;
import dev.sightline.common.problem.ProblemException;

/**
 * Text that PostgreSQL can store in a text or jsonb value (the rule is common's {@code StorableText}), checked
 * where a request's values reach SQL, with retrieval-service's own wording of the refusal.
 */
final class StorableText {

    private StorableText() {
    }

    static boolean isStorable(String s) {
        return dev.sightline.common.text.StorableText.problem(s) == null;
    }

    /** The text, or INVALID_REQUEST naming {@code where} (never echoing the text itself). */
    static String check(String s, String where) {
        if (s != null && !isStorable(s)) {
            throw new ProblemException(CommonProblem.INVALID_REQUEST,
                    where + " contains a NUL character or an unpaired surrogate; neither can be stored.");
        }
        return s;
    }
}
