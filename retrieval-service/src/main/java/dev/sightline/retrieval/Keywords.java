package dev.sightline.retrieval;

import java.util.regex.Pattern;

/**
 * A keyword query split as items' words are: stored text has every run of punctuation made a space (the keyword
 * index's expression), so the query must too, or "qx-4821" would look for a word "-4821" that no item has. Double
 * quotes (phrases) and a minus that starts a word (not) keep their web search meaning.
 */
public final class Keywords {

    /** Punctuation and symbols other than the double quote and the minus, as PostgreSQL's [[:punct:]] sees them. */
    private static final Pattern PUNCTUATION = Pattern.compile("[\\p{P}\\p{S}&&[^\"-]]+");
    /**
     * A minus after anything but a space or a quote (inside or at the end of a word, after a bracket), which joins
     * words rather than negating the next one; found before other punctuation becomes spaces.
     */
    private static final Pattern JOINING_MINUS = Pattern.compile("(?<=[^\\s\"])-+");

    private Keywords() {
    }

    /** The query with its punctuation made spaces as stored text's is, web search syntax kept. */
    public static String normalise(String query) {
        return PUNCTUATION.matcher(JOINING_MINUS.matcher(query).replaceAll(" ")).replaceAll(" ");
    }
}
