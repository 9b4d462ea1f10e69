package dev.sightline.gateway.auth;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;

import java.util.Map;
import org.junit.jupiter.api.Test;

class ApiKeysTest {

    private static final String H1 = "sha256:" + "a".repeat(64);
    private static final String H2 = "sha256:" + "0123456789abcdef".repeat(4);

    @Test
    void hashIsTheSha256OfTheKeyInHex() {
        assertEquals("sha256:ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad", ApiKeys.hash("abc"));
    }

    @Test
    void readsOneHashAndTenantPerLineWithOptionalNotes() {
        Map<String, String> keys = ApiKeys.parse("# keys\n\n" + H1 + " acme created=2026-11-27\n  " + H2 + "\tbeta-2  \n",
                "test");

        assertEquals(Map.of(H1, "acme", H2, "beta-2"), keys);
    }

    @Test
    void skipsMalformedLinesAndKeepsTheRest() {
        Map<String, String> keys = ApiKeys.parse(String.join("\n",
                "sha256:ABC acme",                          // not 64 lower-case hex digits
                "md5:" + "a".repeat(64) + " acme",          // other algorithm
                H1,                                         // no tenant
                H1 + " Bad_Tenant",                         // tenant outside the name pattern
                H2 + " ok"), "test");

        assertEquals(Map.of(H2, "ok"), keys);
    }

    @Test
    void theBearerSchemeIsCaseInsensitiveAndTheKeyIsTrimmed() {
        assertEquals("sk-1", Authenticator.bearer("Bearer sk-1"));
        assertEquals("sk-1", Authenticator.bearer("bearer   sk-1 "));
        assertNull(Authenticator.bearer("Basic abc"));
        assertNull(Authenticator.bearer("Bearer "));
        assertNull(Authenticator.bearer("Bearer      "));
        assertNull(Authenticator.bearer(null));
    }
}
