package dev.sightline.retrieval.api;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.sightline.common.problem.CommonProblem;
import dev.sightline.common.problem.ProblemException;
import org.junit.jupiter.api.Test;

class StorableTextTest {

    @Test
    void acceptsOrdinaryTextAndSurrogatePairs() {
        assertTrue(StorableText.isStorable(""));
        assertTrue(StorableText.isStorable("a photo of a cat, ü, 猫"));
        assertTrue(StorableText.isStorable("emoji \uD83D\uDE00 in the middle and at the end \uD83D\uDE00"));
        assertTrue(StorableText.isStorable("\uFFFF\uFFFE\u0001\u001F"));
    }

    @Test
    void refusesNulAndUnpairedSurrogatesAnywhere() {
        assertFalse(StorableText.isStorable("\u0000"));
        assertFalse(StorableText.isStorable("cat\u0000"));
        assertFalse(StorableText.isStorable("\uD800"));
        assertFalse(StorableText.isStorable("ends with a high surrogate \uD83D"));
        assertFalse(StorableText.isStorable("\uD83Dx"));
        assertFalse(StorableText.isStorable("\uDE00 a low surrogate first"));
        assertFalse(StorableText.isStorable("\uD83D\uD83D\uDE00"));
    }

    @Test
    void checkNamesTheFieldButNeverEchoesTheText() {
        ProblemException e = assertThrows(ProblemException.class, () -> StorableText.check("se\u0000cret", "items[2].text"));
        assertEquals(CommonProblem.INVALID_REQUEST, e.code());
        assertEquals("items[2].text contains a NUL character or an unpaired surrogate; neither can be stored.",
                e.getMessage());
        assertNull(StorableText.check(null, "text"));
        assertEquals("ok", StorableText.check("ok", "text"));
    }
}
