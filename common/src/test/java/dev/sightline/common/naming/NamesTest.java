package dev.sightline.common.naming;

import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;

class NamesTest {

    @Test
    void acceptsLowerCaseNamesOfOneTo63Characters() {
        for (String ok : new String[] {"a", "0", "shapes", "acme-prod_2", "a".repeat(63)}) {
            assertTrue(Names.isName(ok), ok);
        }
    }

    @Test
    void refusesEverythingElse() {
        for (String bad : new String[] {null, "", "-a", "_a", "A", "a b", "a/b", "a.b", "a\u0000", "é", "a".repeat(64)}) {
            assertFalse(Names.isName(bad), String.valueOf(bad));
        }
    }
}
