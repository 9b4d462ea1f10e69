package dev.sightline.embed;

/** Well-formedness of request strings. */
public final class Unicode {

    private Unicode() {
    }

    /**
     * The index of the first surrogate without its partner, or -1. JSON's {@code \\uD800} escapes can carry one,
     * but no UTF-8 answer can hold it, so strings that are echoed back must not.
     */
    public static int unpairedSurrogate(String s) {
        for (int i = 0; i < s.length(); i++) {
            char c = s.charAt(i);
            if (Character.isHighSurrogate(c) && i + 1 < s.length() && Character.isLowSurrogate(s.charAt(i + 1))) {
                i++;
            } else if (Character.isSurrogate(c)) {
                return i;
            }
        }
        return -1;
    }
}
