package dev.sightline.gateway.service;

import dev.sightline.gateway.client.EmbedClient;
import dev.sightline.gateway.client.Embeddings;
import io.smallrye.mutiny.Uni;
import io.vertx.core.json.JsonArray;
import jakarta.enterprise.context.ApplicationScoped;
import java.util.ArrayList;
import java.util.List;

/**
 * Embeds a mix of texts and images: one text batch and one image batch, sent at the same time, and the vectors
 * merged back into input order. Item ingest and the OpenAI-compatible embeddings both go through here.
 */
@ApplicationScoped
public class Embedder {

    private final EmbedClient embed;

    public Embedder(EmbedClient embed) {
        this.embed = embed;
    }

    /** The inputs' vectors in input order, and the texts' token count. */
    public Uni<Embeddings> embed(List<Input> inputs, String encoding) {
        List<String> texts = new ArrayList<>();
        List<String> images = new ArrayList<>();
        for (Input in : inputs) {
            if (in.isText()) {
                texts.add(in.text());
            } else {
                images.add(in.image());
            }
        }
        return Uni.combine().all().unis(embed.embedTexts(texts, encoding), embed.embedImages(images, encoding))
                .asTuple().map(both -> {
                    JsonArray merged = new JsonArray();
                    int t = 0;
                    int i = 0;
                    for (Input in : inputs) {
                        merged.add(in.isText() ? both.getItem1().vectors().getValue(t++)
                                : both.getItem2().vectors().getValue(i++));
                    }
                    return new Embeddings(merged, both.getItem1().tokens());
                });
    }

    /** The vector of one text or image. */
    public Uni<JsonArray> vectorOf(Input input) {
        return embed(List.of(input), null).map(e -> e.vectors().getJsonArray(0));
    }
}
