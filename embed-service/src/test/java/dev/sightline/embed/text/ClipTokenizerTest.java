package dev.sightline.embed.text;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;

import com.fasterxml.jackson.databind.JsonNode;
import dev.sightline.embed.support.Fixture;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

class ClipTokenizerTest {

    private static ClipTokenizer tokenizer;

    @BeforeAll
    static void load() {
        System.setProperty("ai.djl.offline", "true");
        tokenizer = new ClipTokenizer(Fixture.bundledModel().resolve("tokenizer.json"), 77);
    }

    @AfterAll
    static void close() {
        tokenizer.close();
    }

    @Test
    void givesOpenAiIdsForAPhotoOfACat() {
        assertArrayEquals(new int[] {49406, 320, 1125, 539, 320, 2368, 49407}, tokenizer.encode("a photo of a cat"));
    }

    @Test
    void matchesReferenceIdsForEveryFixtureText() {
        for (JsonNode t : Fixture.parity().get("texts")) {
            int[] expected = new int[t.get("ids").size()];
            for (int i = 0; i < expected.length; i++) {
                expected[i] = t.get("ids").get(i).asInt();
            }
            assertArrayEquals(expected, tokenizer.encode(t.get("text").asText()), "ids of " + t.get("text"));
        }
    }

    @Test
    void truncatesToContextLengthKeepingEndOfTextLast() {
        int[] ids = tokenizer.encode("a black square, ".repeat(60));
        assertEquals(77, ids.length);
        assertEquals(49406, ids[0]);
        assertEquals(49407, ids[76]);
    }

    @Test
    void lowerCasesAndCollapsesWhitespace() {
        assertArrayEquals(tokenizer.encode("a red circle"), tokenizer.encode("  A   RED\tCircle \n"));
    }
}
