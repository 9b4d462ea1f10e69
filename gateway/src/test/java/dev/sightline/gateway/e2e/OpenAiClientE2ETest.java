package dev.sightline.gateway.e2e;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.sightline.gateway.support.Platform;
import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.common.http.TestHTTPResource;
import io.quarkus.test.junit.QuarkusTest;
import java.net.URL;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/** The official openai npm client works against the gateway with only baseURL and apiKey changed. */
@QuarkusTest
@QuarkusTestResource(Platform.class)
class OpenAiClientE2ETest {

    @TestHTTPResource("/")
    URL base;

    @Test
    void officialOpenAiNodeClientListsModelsAndEmbeds() throws Exception {
        Path script = Path.of("src/test/node/run.sh").toAbsolutePath();
        ProcessBuilder pb = new ProcessBuilder("bash", script.toString()).redirectErrorStream(true);
        pb.environment().put("SIGHTLINE_URL", "http://" + base.getHost() + ":" + base.getPort());
        pb.environment().put("SIGHTLINE_KEY", Platform.KEY_A);
        Process p = pb.start();
        String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertTrue(p.waitFor(300, TimeUnit.SECONDS), "the node client did not finish");
        assertEquals(0, p.exitValue(), out);
        assertTrue(out.contains("\"ok\":true"), out);
        assertTrue(out.contains("\"wrong_key_status\":401") && out.contains("\"unknown_model_status\":404"), out);
    }
}
