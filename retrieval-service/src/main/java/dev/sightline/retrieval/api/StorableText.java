package dev.sightline.retrieval.api;

import dev.sightline.common.problem.CommonProblem;
import dev.sightline.common.problem.ProblemException;

/**
 * Text that PostgreSQL can store in a text or jsonb value. It refuses NUL (U+0000) in both, and a UTF-16
 * surrogate without its partner has no UTF-8 form; Java strings and JSON escapes ({@code "\ud800"}) carry both.
 */
final class StorableText {

    private StorableText() {
    }

    static boolean isStorable(String s) {
        for (int i = 0; i < s.length(); i++) {
            char ch = s.charAt(i);
            if (ch == 0 || Character.isLowSurrogate(ch)) {
                return false;
            }
            if (Character.isHighSurrogate(ch)) {
                if (i + 1 == s.length() || !Character.isLowSurrogate(s.charAt(i + 1))) {
                    return false;
                }
                i++;
            }
        }
        return true;
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
