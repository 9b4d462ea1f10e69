package dev.sightline.retrieval.store;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;

import io.agroal.api.AgroalDataSource;
import io.quarkus.test.junit.QuarkusTest;
import jakarta.inject.Inject;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.util.Random;
import org.junit.jupiter.api.Test;

/** The hexadecimal literal of query and row vectors reaches pgvector as exactly the floats sent. */
@QuarkusTest
class PgVectorsTest {

    @Inject
    AgroalDataSource dataSource;

    @Test
    void writesC99HexadecimalFloats() {
        assertEquals("[0x1.800000p0,-0x1.000000p-1,0,-0,0x0.000002p-126,0x1.fffffep127]",
                PgVectors.format(new float[] {1.5f, -0.5f, 0f, -0f, Float.MIN_VALUE, Float.MAX_VALUE}));
    }

    @Test
    void pgvectorReadsEveryComponentBitForBit() throws Exception {
        Random r = new Random(3);
        float[] v = new float[2000];
        for (int i = 0; i < v.length; i++) {
            v[i] = switch (i % 5) {
                case 0 -> (float) r.nextGaussian();
                case 1 -> (float) (r.nextGaussian() * 1e-30);
                case 2 -> Float.intBitsToFloat(r.nextInt(0x0080_0000)); // subnormal
                case 3 -> (float) (r.nextGaussian() * 1e30);
                default -> -Math.abs((float) r.nextGaussian() * 0.044f);
            };
        }
        try (Connection c = dataSource.getConnection();
                PreparedStatement ps = c.prepareStatement("SELECT ?::vector::text")) {
            ps.setString(1, PgVectors.format(v));
            try (ResultSet rs = ps.executeQuery()) {
                rs.next();
                assertArrayEquals(v, PgVectors.parse(rs.getString(1)));
            }
        }
    }
}
