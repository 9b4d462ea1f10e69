package dev.sightline.common.http;

import static org.junit.jupiter.api.Assertions.assertEquals;

import org.junit.jupiter.api.Test;

class RequestSizeFilterTest {

    @Test
    void readsTheDeclaredLengthOrNone() {
        assertEquals(40_000_000L, RequestSizeFilter.declaredLength("40000000"));
        assertEquals(12L, RequestSizeFilter.declaredLength(" 12 "));
        assertEquals(-1L, RequestSizeFilter.declaredLength(null));
        assertEquals(-1L, RequestSizeFilter.declaredLength("lots"));
    }
}
