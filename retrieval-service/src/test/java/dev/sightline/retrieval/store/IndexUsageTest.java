package dev.sightline.retrieval.store;

import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.sightline.retrieval.Collection;
import dev.sightline.retrieval.Modality;
import dev.sightline.retrieval.SearchQuery;
import dev.sightline.retrieval.support.Tenants;
import io.agroal.api.AgroalDataSource;
import io.quarkus.test.junit.QuarkusTest;
import jakarta.inject.Inject;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Random;
import org.junit.jupiter.api.Test;

/**
 * The search statement keeps using the collection's HNSW index after many executions, when the JDBC driver has
 * switched to a server-side prepared statement and PostgreSQL to its generic plan.
 */
@QuarkusTest
class IndexUsageTest {

    @Inject
    AgroalDataSource dataSource;

    @Inject
    CollectionStore collections;

    private Collection populated() {
        return populated("float32");
    }

    private Collection populated(String precision) {
        String t = Tenants.fresh();
        Tenants.collection(t, "idx", 16, precision);
        Random r = new Random(5);
        List<Map<String, Object>> items = new ArrayList<>();
        for (int i = 0; i < 3000; i++) {
            float[] v = new float[16];
            for (int d = 0; d < 16; d++) {
                v[d] = (float) r.nextGaussian();
            }
            items.add(Tenants.item("i" + i, v, i % 2 == 0 ? "image" : "text", Map.of("g", i % 3)));
        }
        for (int from = 0; from < items.size(); from += 1000) {
            Tenants.upsert(t, "idx", items.subList(from, from + 1000));
        }
        // No ANALYZE here: the service refreshes a fresh collection's statistics itself after the load.
        return collections.find(t, "idx").orElseThrow();
    }

    private static String plan(PreparedStatement ps) throws Exception {
        StringBuilder sb = new StringBuilder();
        try (ResultSet rs = ps.executeQuery()) {
            while (rs.next()) {
                sb.append(rs.getString(1)).append('\n');
            }
        }
        return sb.toString();
    }

    private void assertIndexUsedRepeatedly(Collection c, SearchQuery q, boolean forceGeneric) throws Exception {
        float[] vector = q.vector();
        try (Connection conn = dataSource.getConnection()) {
            if (forceGeneric) {
                try (Statement st = conn.createStatement()) {
                    st.execute("SET plan_cache_mode = force_generic_plan");
                }
            }
            try (PreparedStatement ps = conn.prepareStatement("EXPLAIN " + SearchSql.of(c, q))) {
                // pgjdbc prepares server-side from the 5th execution; PostgreSQL may go generic after 5 more.
                for (int run = 1; run <= 15; run++) {
                    int i = 1;
                    vector[run % vector.length] += 0.01f;
                    ps.setString(i++, PgVectors.format(vector));
                    if (q.modality() != null) {
                        ps.setString(i++, q.modality().wire());
                    }
                    if (q.filterJson() != null) {
                        ps.setString(i++, q.filterJson());
                    }
                    ps.setInt(i, q.topK());
                    String plan = plan(ps);
                    assertTrue(plan.contains("Index Scan using " + Partitions.index(c.id())),
                            "run " + run + " did not use the HNSW index:\n" + plan);
                    assertTrue(!plan.contains("Sort"), "run " + run + " sorts instead of reading the index:\n" + plan);
                }
            }
        }
    }

    @Test
    void plainSearchUsesTheHnswIndexAfterManyExecutions() throws Exception {
        Collection c = populated();
        float[] q = new float[16];
        q[0] = 1;
        assertIndexUsedRepeatedly(c, new SearchQuery(q, 10, null, null, null, 40, null), false);
    }

    @Test
    void aFloat16CollectionIsSearchedThroughItsHalfvecIndex() throws Exception {
        Collection c = populated("float16");
        float[] q = new float[16];
        q[1] = 1;
        assertIndexUsedRepeatedly(c, new SearchQuery(q, 10, null, null, null, 40, null), true);
    }

    @Test
    void filteredSearchUsesTheHnswIndexEvenWithAForcedGenericPlan() throws Exception {
        Collection c = populated();
        float[] q = new float[16];
        q[3] = 1;
        assertIndexUsedRepeatedly(c, new SearchQuery(q, 10, Modality.IMAGE, "{\"g\": 1}", null, 40, null), true);
    }

    @Test
    void searchByItemReadsItsVectorInTheStatementAndOrdersByTheHnswIndex() throws Exception {
        for (String precision : List.of("float32", "float16")) {
            Collection c = populated(precision);
            SearchQuery q = new SearchQuery(null, 10, Modality.TEXT, null, null, 40, "i7");
            try (Connection conn = dataSource.getConnection()) {
                try (Statement st = conn.createStatement()) {
                    st.execute("SET plan_cache_mode = force_generic_plan");
                }
                try (PreparedStatement ps = conn.prepareStatement("EXPLAIN " + SearchSql.of(c, q))) {
                    for (int run = 1; run <= 12; run++) {
                        String id = "i" + (2 * run + 1);
                        ps.setString(1, id); // the item whose vector is the query
                        ps.setString(2, id); // it exists
                        ps.setString(3, "text");
                        ps.setString(4, id); // left out of its own results
                        ps.setInt(5, 10);
                        String plan = plan(ps);
                        // The item is found through the primary key once (an InitPlan), the neighbours through
                        // the HNSW index ordered by that InitPlan's value: no sort, no second statement.
                        assertTrue(plan.contains("Index Scan using " + Partitions.index(c.id())),
                                precision + " run " + run + " did not use the HNSW index:\n" + plan);
                        assertTrue(plan.contains("InitPlan"), plan);
                        assertTrue(!plan.contains("Sort"), precision + " run " + run + " sorts:\n" + plan);
                    }
                }
            }
        }
    }

    @Test
    void keywordSearchUsesTheKeywordIndex() throws Exception {
        Collection c = populated();
        SearchQuery q = new SearchQuery(null, 10, null, null, null, 40, null, dev.sightline.retrieval.SearchMode.KEYWORD,
                "i1234");
        try (Connection conn = dataSource.getConnection();
                PreparedStatement ps = conn.prepareStatement("EXPLAIN " + SearchSql.keyword(c, q))) {
            ps.setString(1, "nothing matches this");
            ps.setInt(2, 10);
            String plan = plan(ps);
            // The partition's copy of items_keywords (named by PostgreSQL after its expression).
            assertTrue(plan.contains("Bitmap Index Scan on " + Partitions.table(c.id()) + "_to_tsvector_idx"), plan);
        }
    }

    @Test
    void theDuplicateScanLooksUpEachItemsNeighboursThroughTheHnswIndex() throws Exception {
        Collection c = populated();
        try (Connection conn = dataSource.getConnection();
                PreparedStatement ps = conn.prepareStatement("EXPLAIN " + SearchSql.neighbours(c, true))) {
            ps.setString(1, "image");
            ps.setInt(2, 10);
            ps.setString(3, "image");
            ps.setDouble(4, 0.05);
            String plan = plan(ps);
            // A nested loop over the items, an index scan of the HNSW index per item (not a sort of all pairs).
            assertTrue(plan.contains("Nested Loop") && plan.contains("Index Scan using " + Partitions.index(c.id())),
                    plan);
            assertTrue(!plan.contains("Sort"), plan);
        }
    }
}
