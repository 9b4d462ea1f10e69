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
                Input.image("IMG2")), "float"));

        assertEquals(new JsonArray().add(pair("text", "a")).add(pair("image", "IMG1")).add(pair("text", "bc"))
                .add(pair("image", "IMG2")), e.vectors());
        assertEquals(List.of(List.of("a", "bc")), embed.textBatches);
        assertEquals(List.of(List.of("IMG1", "IMG2")), embed.imageBatches);
        assertEquals(3, e.tokens());
    }

    @Test
    void anAbsentModalityCostsNoBackendCall() {
        await(embedder.embed(List.of(Input.text("only text")), null));

        assertEquals(1, embed.batches());
        assertEquals(List.of(), embed.imageBatches);
    }

    @Test
    void vectorOfOneInputIsItsVector() {
        assertEquals(pair("image", "IMG"), await(embedder.vectorOf(Input.image("IMG"))));
    }

    static JsonArray pair(String kind, String value) {
        return new JsonArray().add(kind).add(value);
    }
}
