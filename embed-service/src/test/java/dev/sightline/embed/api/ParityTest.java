package dev.sightline.embed.api;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import dev.sightline.embed.support.Api;
import dev.sightline.embed.support.Fixture;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.path.json.JsonPath;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** The service reproduces the reference pipeline (PIL + PyTorch) of models/fixtures/parity over real HTTP. */
@QuarkusTest
class ParityTest {

    private static final double MIN_COSINE = 0.9999;

    @Test
    void imageEmbeddingsMatchReferenceForEveryFixtureImage() {
        StringBuilder report = new StringBuilder();
        double worst = 1;
        for (JsonNode img : Fixture.parity().get("images")) {
            float[] got = Api.imageEmbedding(Fixture.bytes(img.get("file").asText()));
            double cos = Fixture.cosine(got, Fixture.vector(img.get("embedding")));
            worst = Math.min(worst, cos);
            report.append(String.format("%s cos=%.7f%n", img.get("file").asText(), cos));
        }
        System.out.print(report);
        assertTrue(worst >= MIN_COSINE, "worst image cosine " + worst + "\n" + report);
    }

    @Test
    void textEmbeddingsAndTokenCountsMatchReference() {
        for (JsonNode t : Fixture.parity().get("texts")) {
            String text = t.get("text").asText();
            if (text.isBlank()) {
                continue; // the API refuses empty texts; their ids are checked by ClipTokenizerTest
            }
            JsonPath body = Api.post("/embed/text", Map.of("texts", List.of(text)), 200);
            assertEquals(t.get("ids").size(), body.getInt("tokens[0]"), "tokens of " + text);
            double cos = Fixture.cosine(Api.row(body, 0), Fixture.vector(t.get("embedding")));
            assertTrue(cos >= MIN_COSINE, "cosine " + cos + " for " + text);
        }
    }
}
