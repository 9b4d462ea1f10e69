package dev.sightline.embed.support;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.TimeUnit;

/** HF/Xenova- and Immich-layout copies of the bundled model, made by models/scripts/variants.py (python3-onnx). */
public final class TestModels {

    private static Path dir;

    private TestModels() {
    }

    public static Path hf() {
        return variants().resolve("hf");
    }

    public static Path immich() {
        return variants().resolve("immich");
    }

    private static synchronized Path variants() {
        if (dir == null) {
            Path out = Path.of("target", "test-models").toAbsolutePath();
            Path script = Fixture.root().resolve("models/scripts/variants.py");
            try {
                Process p = new ProcessBuilder("/usr/bin/python3", script.toString(), Fixture.bundledModel().toString(),
                        out.toString()).redirectErrorStream(true).start();
                String log = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
                if (!p.waitFor(120, TimeUnit.SECONDS) || p.exitValue() != 0) {
                    throw new IllegalStateException("variants.py failed (run models/setup.sh check): " + log);
                }
            } catch (IOException e) {
                throw new IllegalStateException("cannot run /usr/bin/python3 (run models/setup.sh check)", e);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new IllegalStateException(e);
            }
            if (!Files.isRegularFile(out.resolve("immich/textual/model.onnx"))) {
                throw new IllegalStateException("variants.py wrote no Immich model under " + out);
            }
            dir = out;
        }
        return dir;
    }
}
