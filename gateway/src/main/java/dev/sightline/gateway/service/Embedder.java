package dev.sightline.gateway.service;

import dev.sightline.gateway.client.BackendProblem;
import dev.sightline.gateway.client.EmbedClient;
import dev.sightline.gateway.client.Embeddings;
import io.smallrye.mutiny.Multi;
import io.smallrye.mutiny.Uni;
import io.vertx.core.json.JsonArray;
import jakarta.enterprise.context.ApplicationScoped;
import java.util.ArrayList;
import java.util.List;
import java.util.function.IntFunction;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Embeds a mix of texts and images: one text batch and one image batch, sent at the same time, and the vectors
 * merged back into input order. Item ingest and the OpenAI-compatible embeddings both go through here.
 */
@ApplicationScoped
public class Embedder {

    /** How embed-service names an input by its position in one call: "Text 3 has …", "Image 0: …". */
    private static final Pattern POSITION = Pattern.compile("(Text|Image) (\\d{1,9})(?::)? ?(.*)", Pattern.DOTALL);

    private final EmbedClient embed;

    public Embedder(EmbedClient embed) {
        this.embed = embed;
    }

    /** The inputs' vectors by that model ({@code null}: the default) in input order, and the texts' token count. */
    public Uni<Embeddings> embed(List<Input> inputs, String encoding, String model) {
        return embed(inputs, encoding, false, false, model);
    }

    /**
     * The same, with each image's source (format, SHA-256) when {@code sources} and thumbnail when
     * {@code thumbnails}, in input order (null at a text's place).
     */
    public Uni<Embeddings> embed(List<Input> inputs, String encoding, boolean sources, boolean thumbnails,
            String model) {
        List<String> texts = new ArrayList<>();
        List<String> images = new ArrayList<>();
        for (Input in : inputs) {
            if (in.isText()) {
                texts.add(in.text());
            } else {
                images.add(in.image());
            }
        }
        return Uni.combine().all().unis(embed.embedTexts(texts, encoding, model),
                embed.embedImages(images, encoding, sources, thumbnails, model)).asTuple().map(both -> {
                    Embeddings ofImages = both.getItem2();
                    JsonArray merged = new JsonArray();
                    JsonArray sourcesMerged = sources ? new JsonArray() : null;
                    JsonArray thumbnailsMerged = thumbnails ? new JsonArray() : null;
                    int t = 0;
                    int i = 0;
                    for (Input in : inputs) {
                        if (in.isText()) {
                            merged.add(both.getItem1().vectors().getValue(t++));
                            addIf(sourcesMerged, null);
                            addIf(thumbnailsMerged, null);
                        } else {
                            addIf(sourcesMerged, ofImages.sources() == null ? null : ofImages.sources().getValue(i));
                            addIf(thumbnailsMerged, ofImages.thumbnails() == null ? null
                                    : ofImages.thumbnails().getValue(i));
                            merged.add(ofImages.vectors().getValue(i++));
                        }
                    }
                    return new Embeddings(merged, both.getItem1().tokens(), sourcesMerged, thumbnailsMerged);
                });
    }

    /**
     * Any number of inputs (a bulk write's): texts in calls of at most {@code maxTexts}, images of at most
     * {@code maxImages}, one call per modality at a time, so that a bulk does not fill embed-service's queue ahead of
     * everybody else's requests; as base64 (exact, and a third of float JSON's size). Float vectors in input order.
     * A problem embed-service names by the input's position in its call is renamed with {@code where} of the
     * input's position in {@code inputs} (in a made-up batch, "Image 3" would tell the client nothing).
     */
    public Uni<List<float[]>> embedAll(List<Input> inputs, int maxTexts, int maxImages, IntFunction<String> where,
            String model) {
        List<Integer> texts = new ArrayList<>();
        List<Integer> images = new ArrayList<>();
        for (int i = 0; i < inputs.size(); i++) {
            (inputs.get(i).isText() ? texts : images).add(i);
        }
        return Uni.combine().all().unis(inCalls(inputs, texts, maxTexts, where, model),
                inCalls(inputs, images, maxImages, where, model))
                .asTuple().map(both -> {
                    List<float[]> merged = new ArrayList<>(inputs.size());
                    int t = 0;
                    int i = 0;
                    for (Input in : inputs) {
                        merged.add(in.isText() ? both.getItem1().get(t++) : both.getItem2().get(i++));
                    }
                    return merged;
                });
    }

    /** The vectors of the inputs at these positions (all of one modality), in calls of at most {@code size}. */
    private Uni<List<float[]>> inCalls(List<Input> inputs, List<Integer> positions, int size, IntFunction<String> where,
            String model) {
        List<List<Integer>> calls = new ArrayList<>();
        for (int from = 0; from < positions.size(); from += size) {
            calls.add(positions.subList(from, Math.min(positions.size(), from + size)));
        }
        return Multi.createFrom().iterable(calls).onItem().transformToUniAndConcatenate(call -> {
            List<Input> batch = call.stream().map(inputs::get).toList();
            Uni<Embeddings> embedded = batch.get(0).isText()
                    ? embed.embedTexts(batch.stream().map(Input::text).toList(), "base64", model)
                    : embed.embedImages(batch.stream().map(Input::image).toList(), "base64", model);
            return embedded.onFailure(BackendProblem.class).transform(e -> ((BackendProblem) e).withDetail(
                    detail -> renamed(detail, call, where))).map(e -> {
                        List<float[]> vectors = new ArrayList<>(call.size());
                        for (int k = 0; k < call.size(); k++) {
                            vectors.add(e.base64Floats(k));
                        }
                        return vectors;
                    });
        }).collect().in(ArrayList::new, List::addAll);
    }

    private static void addIf(JsonArray a, Object value) {
        if (a != null) {
            a.add(value);
        }
    }

    /** "Text 3 has 5000 characters; …" of a call → "line 70: the text has 5000 characters; …". */
    private static String renamed(String detail, List<Integer> call, IntFunction<String> where) {
        Matcher m = POSITION.matcher(detail);
        if (!m.matches() || Integer.parseInt(m.group(2)) >= call.size()) {
            return detail;
        }
        String at = where.apply(call.get(Integer.parseInt(m.group(2))));
        return m.group(1).equals("Text") ? at + ": the text " + m.group(3) : at + ": " + m.group(3);
    }

    /** The vector of one text or image. */
    public Uni<JsonArray> vectorOf(Input input, String model) {
        return embed(List.of(input), null, model).map(e -> e.vectors().getJsonArray(0));
    }
}
