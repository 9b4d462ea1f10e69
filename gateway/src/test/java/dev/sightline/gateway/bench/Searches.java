package dev.sightline.gateway.bench;

import dev.sightline.testsupport.ShapePrompts;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Random;

/**
 * The searches of both sides, prebuilt so that both send the same query vectors and texts:
 * <ul>
 * <li>vector: the gateway's {@code POST /v1/collections/{c}/search} with {@code query.vector} vs retrieval-service's
 * {@code POST /collections/{c}/search} with the tenant header;</li>
 * <li>text: the gateway's text query (embed + search composed by the gateway) vs the client making the same two
 * calls itself ({@code /embed/text}, then retrieval search).</li>
 * </ul>
 */
final class Searches {

    private static final int QUERY_VECTORS = 256;

    private final BenchClient client;
    private final List<HttpRequest> vectorGateway;
    private final List<HttpRequest> vectorDirect;
    private final List<HttpRequest> textGateway;
    private final List<HttpRequest> textEmbed;
    private final URI directSearch;

    private Searches(BenchClient client, List<HttpRequest> vectorGateway, List<HttpRequest> vectorDirect,
            List<HttpRequest> textGateway, List<HttpRequest> textEmbed, URI directSearch) {
        this.client = client;
        this.vectorGateway = vectorGateway;
        this.vectorDirect = vectorDirect;
        this.textGateway = textGateway;
        this.textEmbed = textEmbed;
        this.directSearch = directSearch;
    }

    static Searches prebuild(BenchClient client, BenchPlatform platform, BenchCollection collection, Random rnd) {
        String gatewaySearch = platform.gatewayUrl() + "/v1/collections/" + collection.name() + "/search";
        String retrievalSearch = platform.retrievalUrl() + "/collections/" + collection.name() + "/search";
        List<HttpRequest> vectorGateway = new ArrayList<>();
        List<HttpRequest> vectorDirect = new ArrayList<>();
        for (int i = 0; i < QUERY_VECTORS; i++) {
            String v = Vectors.random(rnd);
            vectorGateway.add(BenchClient.json(gatewaySearch, "{\"query\":{\"vector\":" + v + "},\"top_k\":"
                    + Settings.TOP_K + "}", null, platform.key(), "POST"));
            vectorDirect.add(BenchClient.json(retrievalSearch, "{\"vector\":" + v + ",\"top_k\":" + Settings.TOP_K + "}",
                    Settings.TENANT, null, "POST"));
        }
        List<HttpRequest> textGateway = new ArrayList<>();
        List<HttpRequest> textEmbed = new ArrayList<>();
        for (String t : ShapePrompts.all()) {
            textGateway.add(BenchClient.json(gatewaySearch, "{\"query\":{\"text\":\"" + t + "\"},\"top_k\":"
                    + Settings.TOP_K + "}", null, platform.key(), "POST"));
            textEmbed.add(BenchClient.json(platform.embedUrl() + "/embed/text", "{\"texts\":[\"" + t + "\"]}", null, null,
                    "POST"));
        }
        return new Searches(client, vectorGateway, vectorDirect, textGateway, textEmbed, URI.create(retrievalSearch));
    }

    /** The direct side of a query kind ("vector" or "text"). */
    Call direct(String query) {
        return query.equals("vector") ? i -> client.ok(client.send(vectorDirect.get(i % vectorDirect.size())))
                : this::textDirect;
    }

    /** The gateway side of a query kind ("vector" or "text"). */
    Call gateway(String query) {
        List<HttpRequest> requests = query.equals("vector") ? vectorGateway : textGateway;
        return i -> client.ok(client.send(requests.get(i % requests.size())));
    }

    private boolean textDirect(int i) throws IOException, InterruptedException {
        HttpResponse<String> e = client.send(textEmbed.get(i % textEmbed.size()));
        if (!client.ok(e)) {
            return false;
        }
        String v = firstEmbedding(e.body());
        return v != null && client.ok(client.send(BenchClient.directSearch(directSearch,
                "{\"vector\":" + v + ",\"top_k\":" + Settings.TOP_K + "}")));
    }

    /** Both sides must return the same top-10 ids for vector and text queries, before anything is timed. */
    void checkSameAnswers() throws IOException, InterruptedException {
        for (int i = 0; i < 3; i++) {
            same("vector", BenchClient.ids(client.send(vectorGateway.get(i))),
                    BenchClient.ids(client.send(vectorDirect.get(i))));
            HttpResponse<String> e = client.send(textEmbed.get(i));
            same("text", BenchClient.ids(client.send(textGateway.get(i))),
                    BenchClient.ids(client.send(BenchClient.directSearch(directSearch,
                            "{\"vector\":" + firstEmbedding(e.body()) + ",\"top_k\":" + Settings.TOP_K + "}"))));
        }
    }

    /** Median of {@code n} direct vector searches, one after another. */
    double directVectorMedianMs(int n) throws IOException, InterruptedException {
        long[] t = new long[n];
        for (int i = 0; i < n; i++) {
            long s = System.nanoTime();
            BenchClient.ids(client.send(vectorDirect.get(i % vectorDirect.size())));
            t[i] = System.nanoTime() - s;
        }
        Arrays.sort(t);
        return t[n / 2] / 1e6;
    }

    private static void same(String what, List<String> gateway, List<String> direct) {
        if (gateway.size() != Settings.TOP_K || !gateway.equals(direct)) {
            throw new IllegalStateException(what + " search differs: gateway " + gateway + " vs direct " + direct);
        }
    }

    /** The first embedding of an /embed/text answer, as JSON text ("[...]"), without parsing the numbers. */
    private static String firstEmbedding(String body) {
        int at = body.indexOf("\"embeddings\"");
        int start = at < 0 ? -1 : body.indexOf('[', body.indexOf('[', at) + 1);
        int end = start < 0 ? -1 : body.indexOf(']', start);
        return end < 0 ? null : body.substring(start, end + 1);
    }
}
