package dev.sightline.retrieval.migration;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.sightline.common.internal.InternalToken;
import dev.sightline.retrieval.SourceItem;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;

/**
 * embed-service as a migration calls it: texts and original images embedded by a named model, with the internal
 * token. A 4xx answer is the item's problem ({@link Refused}); anything else is transient ({@link IOException}).
 */
public final class EmbedCalls {

    /** embed-service refused an input: the job cannot go on with it. */
    public static final class Refused extends Exception {
        public Refused(String message) {
            super(message);
        }
    }

    private static final ObjectMapper JSON = new ObjectMapper();

    private final HttpClient http;
    private final URI base;
    private final InternalToken token;
    private final Duration timeout;

    public EmbedCalls(String baseUrl, InternalToken token, Duration timeout) {
        this.http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();
        this.base = URI.create(baseUrl.endsWith("/") ? baseUrl : baseUrl + "/");
        this.token = token;
        this.timeout = timeout;
    }

    /** The vectors of the items, in order: texts and images each in one call. */
    public List<float[]> embed(String model, List<SourceItem> items) throws IOException, InterruptedException,
            Refused {
        List<String> texts = new ArrayList<>();
        List<String> images = new ArrayList<>();
        for (SourceItem it : items) {
            if ("text".equals(it.modality())) {
                texts.add(it.text());
            } else if ("image".equals(it.modality())) {
                if (it.original() == null) {
                    throw new Refused("item " + it.id() + " keeps no original image to embed again");
                }
                images.add(Base64.getEncoder().encodeToString(it.original()));
            }
        }
        List<float[]> ofTexts = texts.isEmpty() ? List.of() : call("embed/text", "texts", texts, model);
        List<float[]> ofImages = images.isEmpty() ? List.of() : call("embed/image", "images", images, model);
        List<float[]> out = new ArrayList<>(items.size());
        int t = 0;
        int i = 0;
        for (SourceItem it : items) {
            out.add("text".equals(it.modality()) ? ofTexts.get(t++) : "image".equals(it.modality())
                    ? ofImages.get(i++) : null);
        }
        return out;
    }

    private List<float[]> call(String path, String field, List<String> values, String model) throws IOException,
            InterruptedException, Refused {
        ObjectNode body = JSON.createObjectNode().put("model", model);
        ArrayNode array = body.putArray(field);
        values.forEach(array::add);
        HttpRequest request = HttpRequest.newBuilder(base.resolve(path)).timeout(timeout)
                .header("Content-Type", "application/json").header("Authorization", token.authorization())
                .POST(HttpRequest.BodyPublishers.ofByteArray(JSON.writeValueAsBytes(body))).build();
        HttpResponse<byte[]> response = http.send(request, HttpResponse.BodyHandlers.ofByteArray());
        JsonNode answer = JSON.readTree(response.body());
        if (response.statusCode() >= 400 && response.statusCode() < 500 && response.statusCode() != 429) {
            throw new Refused("embed-service answered " + response.statusCode() + ": " + answer.path("detail").asText());
        }
        if (response.statusCode() != 200) {
            throw new IOException("embed-service answered " + response.statusCode());
        }
        List<float[]> out = new ArrayList<>(values.size());
        for (JsonNode row : answer.path("embeddings")) {
            float[] v = new float[row.size()];
            for (int k = 0; k < v.length; k++) {
                v[k] = (float) row.get(k).asDouble();
            }
            out.add(v);
        }
        return out;
    }
}
