package dev.sightline.retrieval.store;

import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.sightline.retrieval.Collection;
import dev.sightline.retrieval.support.Tenants;
import io.agroal.api.AgroalDataSource;
import io.quarkus.test.junit.QuarkusTest;
import jakarta.inject.Inject;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** Vectors up to 6,000 bytes live in the heap row, not in TOAST; larger ones keep pgvector's default. */
@QuarkusTest
class InlineStorageTest {

    @Inject
    AgroalDataSource dataSource;

    @Inject
    CollectionStore collections;

    private String storage(Collection c) throws Exception {
        try (Connection conn = dataSource.getConnection(); PreparedStatement ps = conn.prepareStatement(
                "SELECT attstorage FROM pg_attribute WHERE attrelid = to_regclass(?) AND attname = ?")) {
            ps.setString(1, Partitions.table(c.id()));
            ps.setString(2, VectorSql.column(c.precision()));
            try (ResultSet rs = ps.executeQuery()) {
                rs.next();
                return rs.getString(1);
            }
        }
    }

    private long toastBytes(Collection c) throws Exception {
        try (Connection conn = dataSource.getConnection(); PreparedStatement ps = conn.prepareStatement(
                "SELECT pg_relation_size(reltoastrelid) FROM pg_class WHERE oid = to_regclass(?)")) {
            ps.setString(1, Partitions.table(c.id()));
            try (ResultSet rs = ps.executeQuery()) {
                rs.next();
                return rs.getLong(1);
            }
        }
    }

    @Test
    void a512DimensionalFloat32CollectionKeepsItsVectorsInline() throws Exception {
        String t = Tenants.fresh();
        Tenants.collection(t, "clip", 512);
        List<Map<String, Object>> items = new ArrayList<>();
        for (int i = 0; i < 100; i++) {
            float[] v = new float[512];
            v[i] = 1;
            v[511 - i] = 0.5f;
            items.add(Tenants.item("i" + i, v, "image"));
        }
        Tenants.upsert(t, "clip", items);
        Collection c = collections.find(t, "clip").orElseThrow();
        assertEquals("p", storage(c));
        assertEquals(0, toastBytes(c));
    }

    @Test
    void vectorsOverSixThousandBytesKeepTheDefaultStorage() throws Exception {
        String t = Tenants.fresh();
        Tenants.collection(t, "wide", 1536);
        Tenants.collection(t, "wide-half", 1536, "float16");
        assertEquals("e", storage(collections.find(t, "wide").orElseThrow()));
        assertEquals("p", storage(collections.find(t, "wide-half").orElseThrow()));
    }
}
