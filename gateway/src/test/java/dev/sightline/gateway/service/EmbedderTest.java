package dev.sightline.gateway.service;

import static dev.sightline.gateway.service.Outcomes.await;
import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.sightline.gateway.client.Embeddings;
import io.vertx.core.json.JsonArray;
import java.util.List;
import org.junit.jupiter.api.Test;

class EmbedderTest {

    private final FakeEmbedClient embed = new FakeEmbedClient();
    private final Embedder embedder = new Embedder(embed);

    @Test
    void mixedInputsComeBackInInputOrderFromOneBatchPerModality() {
        Embeddings e = await(embedder.embed(List.of(Input.text("a"), Input.image("IMG1"), Input.text("bc"),
                Input.image("IMG2")), "float", null));

        assertEquals(new JsonArray().add(pair("text", "a")).add(pair("image", "IMG1")).add(pair("text", "bc"))
                .add(pair("image", "IMG2")), e.vectors());
        assertEquals(List.of(List.of("a", "bc")), embed.textBatches);
        assertEquals(List.of(List.of("IMG1", "IMG2")), embed.imageBatches);
        assertEquals(3, e.tokens());
    }

    @Test
    void anAbsentModalityCostsNoBackendCall() {
        await(embedder.embed(List.of(Input.text("only text")), null, null));

        assertEquals(1, embed.batches());
        assertEquals(List.of(), embed.imageBatches);
    }

    @Test
    void manyInputsComeBackInInputOrderFromBoundedCallsOneModalityCallAtATime() {
        for (String v : List.of("t1", "t2", "t3", "I1", "I2")) {
            embed.vectors.put(v, new float[] {v.charAt(1) - '0', v.charAt(0)});
        }
        List<float[]> vectors = await(embedder.embedAll(List.of(Input.image("I1"), Input.text("t1"), Input.text("t2"),
                Input.image("I2"), Input.text("t3")), 2, 1, i -> "input " + i, null));

        assertEquals(List.of("[1.0, 73.0]", "[1.0, 116.0]", "[2.0, 116.0]", "[2.0, 73.0]", "[3.0, 116.0]"),
                vectors.stream().map(java.util.Arrays::toString).toList());
        assertEquals(List.of(List.of("t1", "t2"), List.of("t3")), embed.textBatches);
        assertEquals(List.of(List.of("I1"), List.of("I2")), embed.imageBatches);
    }

    @Test
    void vectorOfOneInputIsItsVectorByTheModelNamed() {
        assertEquals(pair("image", "IMG"), await(embedder.vectorOf(Input.image("IMG"), "fake/clip-small")));
        assertEquals(List.of("fake/clip-small"), embed.models);
    }

    static JsonArray pair(String kind, String value) {
        return new JsonArray().add(kind).add(value);
    }
}
