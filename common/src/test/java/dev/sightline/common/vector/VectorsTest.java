package dev.sightline.common.vector;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import dev.sightline.common.problem.CommonProblem;
import dev.sightline.common.problem.ProblemException;
import org.junit.jupiter.api.Test;

class VectorsTest {

    @Test
    void refusesAnotherDimensionNamingBoth() {
        ProblemException e = assertThrows(ProblemException.class,
                () -> Vectors.dimension(new float[3], 2, "line 4: vector"));
        assertEquals(CommonProblem.DIMENSION_MISMATCH, e.code());
        assertEquals("line 4: vector has 3 dimensions; the collection has 2.", e.getMessage());
        Vectors.dimension(new float[2], 2, "v");
    }

    @Test
    void refusesNonFiniteAndAllZeroVectors() {
        ProblemException inf = assertThrows(ProblemException.class,
                () -> Vectors.values(new float[] {1, Float.POSITIVE_INFINITY}, "vector", "has a NaN or infinite component"));
        assertEquals(CommonProblem.INVALID_VECTOR, inf.code());
        assertEquals("vector has a NaN or infinite component.", inf.getMessage());
        ProblemException zero = assertThrows(ProblemException.class,
                () -> Vectors.values(new float[] {0, -0f}, "vector", "x"));
        assertEquals("vector is all zeros; cosine is undefined.", zero.getMessage());
        Vectors.values(new float[] {0, 1e-30f}, "vector", "x");
    }
}
