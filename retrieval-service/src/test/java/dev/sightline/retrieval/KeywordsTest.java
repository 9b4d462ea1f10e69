package dev.sightline.retrieval;

import static org.junit.jupiter.api.Assertions.assertEquals;

import org.junit.jupiter.api.Test;

class KeywordsTest {

    @Test
    void punctuationInsideWordsBecomesSpacesAsInStoredText() {
        assertEquals("red circle qx 4821", Keywords.normalise("red circle qx-4821"));
        assertEquals("holiday zanzibar 2 jpg", Keywords.normalise("holiday/zanzibar-2.jpg"));
        assertEquals("a b  c", Keywords.normalise("a+b, c"));
        assertEquals("caf\u00e9 na\u00efve ", Keywords.normalise("caf\u00e9\u2014na\u00efve\u2026"));
    }

    @Test
    void phrasesAndNegationKeepTheirWebSearchMeaning() {
        assertEquals("\"red circle\" -blue", Keywords.normalise("\"red circle\" -blue"));
        assertEquals("star -qx 4821 or cross", Keywords.normalise("star -qx-4821 or cross"));
        // After a bracket or a symbol the minus joins too.
        assertEquals(" qx  4821", Keywords.normalise("(qx)-4821"));
        assertEquals("c  lib", Keywords.normalise("c++-lib"));
    }
}
