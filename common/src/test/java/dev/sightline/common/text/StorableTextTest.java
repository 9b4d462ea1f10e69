package dev.sightline.common.text;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;

import com.fasterxml.jackson.databind.ObjectMapper;
import org.junit.jupiter.api.Test;

class StorableTextTest {

    private static final ObjectMapper JSON = new ObjectMapper();

    @Test
    void ordinaryTextEmojiAndControlCharactersOtherThanNulAreStorable() {
        assertNull(StorableText.problem("a red circle"));
        assertNull(StorableText.problem("naïve 🟥 \t\n\u0001 日本"));
        assertNull(StorableText.problem(""));
    }

    @Test
    void nulAndLoneSurrogatesAreNot() {
        assertEquals("contains a NUL character (U+0000)", StorableText.problem("a\u0000b"));
        assertEquals("contains a lone UTF-16 surrogate", StorableText.problem("a\uD83Db"));
        assertEquals("contains a lone UTF-16 surrogate", StorableText.problem("\uDC00"));
        assertEquals("contains a lone UTF-16 surrogate", StorableText.problem("end\uD83D"));
    }

    @Test
    void findsTheFirstBadStringOrFieldNameInATreeWithItsPath() throws Exception {
        assertEquals("'items[1].metadata.colour' contains a NUL character (U+0000)", StorableText.firstProblem(
                JSON.readTree("{\"items\":[{\"text\":\"ok\"},{\"metadata\":{\"colour\":\"re\\u0000d\"}}]}")));
        assertEquals("a field name in 'filter' contains a NUL character (U+0000)",
                StorableText.firstProblem(JSON.readTree("{\"filter\":{\"k\\u0000\":1}}")));
        assertNull(StorableText.firstProblem(JSON.readTree("{\"items\":[{\"text\":\"fine\",\"n\":[1,2]}]}")));
    }
}
