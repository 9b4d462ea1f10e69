package dev.sightline.retrieval.bench;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.sightline.retrieval.Collection;
import dev.sightline.retrieval.SearchQuery;
import dev.sightline.retrieval.store.Partitions;
import dev.sightline.retrieval.store.SearchSql;
import dev.sightline.testsupport.TestCredential;
import java.io.IOException;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/**
 * The searches compared: through the service over HTTP ({@link LeanHttp}: one keep-alive connection per worker,
 * requests prepared before the clock), and the service's own SQL straight over JDBC (one connection per worker, one
 * round trip per query); and the HTTP floor.
 */
final class Searches implements AutoCloseable {

    /** The service's defaults for sightline.retrieval.search.iterative-scan / max-scan-tuples (RetrievalConfig). */
    private static final String ITERATIVE_SCAN = "relaxed_order";
    private static final int MAX_SCAN_TUPLES = 20000;
    private static final String SET_CONFIG = SearchSql.SETTINGS;
    private static final ObjectMapper JSON = new ObjectMapper();

    private final BenchService service;
    private final Collection col;
    private final float[][] queries;
    private final String[] vectorText;
    private final Connection[] conns;
    private final LeanHttp http;

    private Searches(BenchService service, Collection col, float[][] queries, String[] vectorText, Connection[] conns) {
        this.service = service;
        this.col = col;
        this.queries = queries;
        this.vectorText = vectorText;
        this.conns = conns;
        this.http = new LeanHttp(URI.create(service.base()), conns.length);
    }

    /** Opens {@link Settings#HIGH_CONCURRENCY} connections for the direct searches. */
    static Searches open(BenchService service, BenchDatabase db, Collection col, Dataset dataset) throws SQLException {
        Connection[] conns = new Connection[Settings.HIGH_CONCURRENCY];
        Searches searches = new Searches(service, col, dataset.queries(), dataset.queryTexts(), conns);
        try {
            for (int i = 0; i < conns.length; i++) {
                conns[i] = db.connect();
            }
        } catch (SQLException | RuntimeException e) {
            searches.close();
            throw e;
        }
        return searches;
    }

    /** {@code POST /collections/{c}/search} at the given ef_search. */
    Search http(int ef) {
        byte[][] requests = new byte[vectorText.length][];
        for (int i = 0; i < requests.length; i++) {
            requests[i] = searchRequest("\"vector\":" + Arrays.toString(queries[i]), ef);
        }
        return (w, q) -> ids(http.exchange(w, requests[q]));
    }

    /**
     * {@code POST /collections/{c}/search} by {@code item_id}: a stored item's neighbours, the item left out. The
     * answers are not scored (a stored item has no held-out exact top-k).
     */
    Search httpByItem(int ef, int items) {
        byte[][] requests = new byte[Settings.QUERIES][];
        for (int i = 0; i < requests.length; i++) {
            requests[i] = searchRequest("\"item_id\":\"" + item(i, items) + "\"", ef);
        }
        return (w, q) -> ids(http.exchange(w, requests[q]));
    }

    /** The stored item that the {@code q}th search by item asks for: spread over the ids v0 … v(items - 1). */
    private static String item(int q, int items) {
        return "v" + (q * 7919L + 13) % items;
    }

    private byte[] searchRequest(String target, int ef) {
        String[] headers = {"Authorization", TestCredential.AUTHORIZATION, "X-Sightline-Tenant", Settings.TENANT,
            "Content-Type", "application/json"};
        String body = "{" + target + ",\"top_k\":" + Settings.TOP_K + ",\"ef_search\":" + ef + "}";
        return http.request("POST", "/collections/" + col.name() + "/search", headers,
                body.getBytes(StandardCharsets.UTF_8));
    }

    /** The ids (indexes into the data) of a search's answer. */
    private static int[] ids(LeanHttp.Answer r) throws IOException {
        if (r.status() != 200) {
            throw new IllegalStateException("search returned " + r.status() + ": " + new String(r.body(),
                    StandardCharsets.UTF_8));
        }
        JsonNode results = JSON.readTree(r.body()).get("results");
        int[] ids = new int[results.size()];
        for (int i = 0; i < ids.length; i++) {
            ids[i] = Integer.parseInt(results.get(i).get("id").asText().substring(1));
        }
        return ids;
    }

    /** The HTTP floor: the same client and server stack with no database and no JSON body. */
    Search live() {
        byte[] request = http.request("GET", "/q/health/live", new String[0], null);
        return (w, q) -> {
            LeanHttp.Answer r = http.exchange(w, request);
            if (r.status() != 200) {
                throw new IllegalStateException("/q/health/live returned " + r.status());
            }
            return null;
        };
    }

    /**
     * The service's search over plain JDBC, as ItemStore sends it: the settings and the search statement as one
     * batch on an autocommit connection (one round trip).
     */
    Search direct(int ef) {
        String sql = SearchSql.batch(col, new SearchQuery(queries[0], Settings.TOP_K, null, null, null, ef, null));
        String efText = Integer.toString(Math.max(ef, Settings.TOP_K));
        return (w, q) -> {
            try (PreparedStatement ps = conns[w].prepareStatement(sql)) {
                bindSettings(ps, efText);
                ps.setString(4, vectorText[q]);
                ps.setInt(5, Settings.TOP_K);
                return ids(ps);
            }
        };
    }

    /** The service's search by item over plain JDBC, as ItemStore sends it (the item's vector read in the SQL). */
    Search directByItem(int ef, int items) {
        String sql = SearchSql.batch(col, new SearchQuery(null, Settings.TOP_K, null, null, null, ef, "v0"));
        String efText = Integer.toString(Math.max(ef, Settings.TOP_K));
        return (w, q) -> {
            String item = item(q, items);
            try (PreparedStatement ps = conns[w].prepareStatement(sql)) {
                bindSettings(ps, efText);
                ps.setString(4, item); // whose vector
                ps.setString(5, item); // that it exists
                ps.setString(6, item); // left out
                ps.setInt(7, Settings.TOP_K);
                return ids(ps);
            }
        };
    }

    private static void bindSettings(PreparedStatement ps, String efText) throws SQLException {
        ps.setString(1, efText);
        ps.setString(2, ITERATIVE_SCAN);
        ps.setString(3, Integer.toString(MAX_SCAN_TUPLES));
    }

    /** Runs the batch; the ids of the search's rows, every column read as the service reads it. */
    private static int[] ids(PreparedStatement ps) throws SQLException {
        int[] ids = new int[Settings.TOP_K];
        int k = 0;
        ps.execute();
        ps.getMoreResults();
        try (ResultSet rs = ps.getResultSet()) {
            while (rs.next()) {
                String id = rs.getString(1);
                rs.getString(2);
                rs.getString(3);
                rs.getString(4);
                rs.getDouble(5);
                ids[k++] = Integer.parseInt(id.substring(1));
            }
        }
        return k == Settings.TOP_K ? ids : Arrays.copyOf(ids, k);
    }

    /** EXPLAIN (ANALYZE, BUFFERS) of the service's statement, to show that the partition's HNSW index is used. */
    void explain() throws SQLException {
        String sql = SearchSql.of(col, new SearchQuery(queries[0], Settings.TOP_K, null, null, null, 40, null));
        List<String> plan = new ArrayList<>();
        Connection c = conns[0];
        c.setAutoCommit(false);
        try {
            setConfig(c, 40);
            try (PreparedStatement ps = c.prepareStatement("EXPLAIN (ANALYZE, BUFFERS) " + sql)) {
                ps.setString(1, vectorText[0]);
                ps.setInt(2, Settings.TOP_K);
                try (ResultSet rs = ps.executeQuery()) {
                    while (rs.next()) {
                        plan.add(rs.getString(1));
                    }
                }
            }
        } finally {
            c.rollback();
            c.setAutoCommit(true);
        }
        String index = Partitions.index(col.id());
        System.out.printf("%nEXPLAIN (ANALYZE, BUFFERS) of the search statement (ef_search 40, top_k %d):%n",
                Settings.TOP_K);
        System.out.println("  " + sql.replaceFirst("\\?::", "\\$1::"));
        plan.stream().limit(8).forEach(l -> System.out.println("  | " + (l.length() > 160 ? l.substring(0, 160) + " ..." : l)));
        plan.stream().skip(8).filter(l -> l.contains("Planning Time") || l.contains("Execution Time"))
                .forEach(l -> System.out.println("  | " + l));
        System.out.printf("  HNSW index %s used: %s%n", index,
                plan.stream().anyMatch(l -> l.contains("Index Scan using " + index)) ? "yes" : "NO");
    }

    @Override
    public void close() {
        http.close();
        for (Connection c : conns) {
            if (c != null) {
                try {
                    c.close();
                } catch (SQLException ignored) {
                    // closing
                }
            }
        }
    }

    private static void setConfig(Connection c, int ef) throws SQLException {
        try (PreparedStatement set = c.prepareStatement(SET_CONFIG)) {
            set.setString(1, Integer.toString(Math.max(ef, Settings.TOP_K)));
            set.setString(2, ITERATIVE_SCAN);
            set.setString(3, Integer.toString(MAX_SCAN_TUPLES));
            set.execute();
        }
    }
}
