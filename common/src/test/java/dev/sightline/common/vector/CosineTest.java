package dev.sightline.common.vector;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import org.junit.jupiter.api.Test;

class CosineTest {

    @Test
    void cosineIgnoresLengthAndDotDoesNot() {
        float[] a = {3, 4};
        float[] b = {6, 8};
        float[] c = {4, -3};
        assertEquals(50.0, Cosine.dot(a, b));
        assertEquals(1.0, Cosine.of(a, b), 1e-12);
        assertEquals(0.0, Cosine.of(a, c), 1e-12);
        assertArrayEquals(new float[] {0.6f, 0.8f}, Cosine.unit(b));
    }

    @Test
    void vectorsOfDifferentDimensionsAreRefused() {
        assertThrows(IllegalArgumentException.class, () -> Cosine.dot(new float[] {1}, new float[] {1, 2}));
    }
}
