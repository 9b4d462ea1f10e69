package dev.sightline.gateway.service;

import static dev.sightline.gateway.service.EmbedderTest.pair;
import static dev.sightline.gateway.service.Outcomes.assertProblem;
import static dev.sightline.gateway.service.Outcomes.await;
import static org.junit.jupiter.api.Assertions.assertEquals;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import dev.sightline.common.problem.CommonProblem;
import dev.sightline.gateway.service.SearchService.ImageToText;
import dev.sightline.gateway.service.SearchService.Query;
import dev.sightline.gateway.service.SearchService.Search;
import dev.sightline.gateway.service.SearchService.TextToImage;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import org.junit.jupiter.api.Test;

class SearchServiceTest {

    private final FakeEmbedClient embed = new FakeEmbedClient();
    private final FakeRetrievalClient retrieval = new FakeRetrievalClient();
    private final SearchService search = new SearchService(retrieval, new Embedder(embed), new CollectionModels(embed));

    @org.junit.jupiter.api.BeforeEach
    void collection() {
        retrieval.addCollection("acme", "shapes");
    }

    @Test
    void aTextQueryIsEmbeddedAndAbsentOptionsAreLeftOut() throws Exception {
        await(search.search("acme", "shapes", new Search(new Query("a red circle", null, null, null), "image", 5,
                new ObjectMapper().readTree("{\"k\":\"v\"}"), null, null, null)));

        assertEquals(new JsonObject().put("top_k", 5).put("filter", new JsonObject().put("k", "v"))
                .put("modality", "image").put("vector", pair("text", "a red circle")), retrieval.lastSearch);
    }

    @Test
    void itemAndVectorQueriesAreNotEmbedded() {
        await(search.search("acme", "shapes", new Search(new Query(null, null, "sku-1", null), null, null, null,
                null, 40, null)));
        assertEquals(new JsonObject().put("ef_search", 40).put("item_id", "sku-1"), retrieval.lastSearch);

        await(search.search("acme", "shapes", new Search(new Query(null, null, null, new float[] {0.5f, -1f}), null,
                null, null, 0.25, null, null)));
        assertEquals(new JsonObject().put("min_score", 0.25).put("vector", new JsonArray().add(0.5f).add(-1f)),
                retrieval.lastSearch);
        assertEquals(0, embed.batches());
    }

    @Test
    void queriesAreEmbeddedByTheCollectionsOwnModel() {
        retrieval.models.put("acme/shapes", "fake/clip-small");
        await(search.textToImage("acme", "shapes", new TextToImage("a star", 3, null, null)));
        retrieval.models.put("acme/shapes", "fake/clip");
        await(search.imageToText("acme", "shapes", new ImageToText("IMG", null, null, null)));
        assertEquals(java.util.Arrays.asList("fake/clip-small", "fake/clip"), embed.models);

        retrieval.models.put("acme/shapes", "gone/clip");
        assertProblem(CommonProblem.INVALID_REQUEST, "Collection shapes uses the model gone/clip, which is not served"
                + " here (fake/clip, fake/clip-small): it takes vectors only, as items and as search queries, or"
                + " searches by item_id.", () -> search.textToImage("acme", "shapes", new TextToImage("x", 3, null,
                        null)));
    }

    @Test
    void textToImageAndImageToTextFixTheModality() {
        await(search.textToImage("acme", "shapes", new TextToImage("a star", 3, null, null)));
        assertEquals(new JsonObject().put("top_k", 3).put("modality", "image").put("vector", pair("text", "a star")),
                retrieval.lastSearch);

        await(search.imageToText("acme", "shapes", new ImageToText("IMG", null, null, null)));
        assertEquals(new JsonObject().put("modality", "text").put("vector", pair("image", "IMG")), retrieval.lastSearch);
    }

    @Test
    void keywordSearchesEmbedNothingAndHybridOnesSendBoth() {
        await(search.search("acme", "shapes", new Search(new Query("zanzibar", null, null, null), null, 3, null, null,
                null, "keyword")));
        assertEquals(new JsonObject().put("top_k", 3).put("mode", "keyword").put("keywords", "zanzibar"),
                retrieval.lastSearch);
        assertEquals(0, embed.batches());
        await(search.search("acme", "shapes", new Search(new Query("zanzibar", null, null, null), null, 3, null, null,
                null, "hybrid")));
        assertEquals(new JsonObject().put("top_k", 3).put("mode", "hybrid").put("keywords", "zanzibar")
                .put("vector", pair("text", "zanzibar")), retrieval.lastSearch);
        assertProblem(CommonProblem.INVALID_REQUEST, "mode hybrid searches by text: give query.text.",
                () -> search.search("acme", "shapes", new Search(new Query(null, null, "sku-1", null), null, null,
                        null, null, null, "hybrid")));
        assertProblem(CommonProblem.INVALID_REQUEST, "mode must be vector, keyword or hybrid.",
                () -> search.search("acme", "shapes", new Search(new Query("x", null, null, null), null, null,
                        null, null, null, "fuzzy")));
    }

    @Test
    void refusesAQueryWithoutExactlyOneKind() {
        assertProblem(CommonProblem.INVALID_REQUEST, "query is required.",
                () -> search.search("acme", "shapes", new Search(null, null, null, null, null, null, null)));
        assertProblem(CommonProblem.INVALID_REQUEST, "query needs exactly one of text, image, item_id and vector.",
                () -> search.search("acme", "shapes", new Search(new Query("t", "i", null, null), null, null, null,
                        null, null, null)));
        assertProblem(CommonProblem.INVALID_REQUEST, "text is required.",
                () -> search.textToImage("acme", "shapes", new TextToImage(null, null, null, null)));
        assertProblem(CommonProblem.INVALID_REQUEST, "filter must be a JSON object.",
                () -> search.textToImage("acme", "shapes", new TextToImage("t", null,
                        JsonNodeFactory.instance.arrayNode().add(1), null)));
        assertEquals(0, embed.batches());
    }
}
