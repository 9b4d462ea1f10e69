package dev.sightline.gateway.support;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * Coloured-shape images drawn by models/scripts/independent_shapes.py: written from the classes' description, never
 * used to train the bundled model, so tests measure it on drawings it has not seen (written once per seed and
 * classes into target/).
 */
public final class ShapeImages {

    private static final Path ROOT = Path.of(System.getProperty("sightline.root", "..")).toAbsolutePath().normalize();

    /** One image: its file's bytes, its class and its file name. */
    public record Shape(byte[] bytes, String colour, String shape, String file) {

        public String base64() {
            return Base64.getEncoder().encodeToString(bytes);
        }

        public boolean is(String c, String s) {
            return colour.equals(c) && shape.equals(s);
        }
    }

    private ShapeImages() {
    }

    /**
     * {@code n} images of the seed's stream: every class in turn (a seeded order), or only {@code classes}
     * ("red:triangle,yellow:triangle") when given.
     */
    public static synchronized List<Shape> draw(int seed, int n, String classes) {
        Path dir = Path.of("target/shapes-" + seed + "-" + n + (classes == null ? "" : "-" + classes.replace(':', '_')
                .replace(',', '+'))).toAbsolutePath();
        try {
            if (!Files.exists(dir.resolve("index.json"))) {
                run(List.of("bash", ROOT.resolve("scripts/deps.sh").toString(), "python3-pil", "python3-numpy"));
                List<String> cmd = new ArrayList<>(List.of("/usr/bin/python3",
                        ROOT.resolve("models/scripts/independent_shapes.py").toString(), "--out", dir.toString(),
                        "--n", Integer.toString(n), "--seed", Integer.toString(seed)));
                if (classes != null) {
                    cmd.addAll(List.of("--classes", classes));
                }
                run(cmd);
            }
            List<Shape> out = new ArrayList<>();
            for (JsonNode info : new ObjectMapper().readTree(dir.resolve("index.json").toFile())) {
                String file = info.get("file").asText();
                out.add(new Shape(Files.readAllBytes(dir.resolve(file)), info.get("colour").asText(),
                        info.get("shape").asText(), file));
            }
            assertEquals(n, out.size());
            return out;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static void run(List<String> command) throws IOException {
        Process p = new ProcessBuilder(command).redirectErrorStream(true).start();
        String out = new String(p.getInputStream().readAllBytes(), java.nio.charset.StandardCharsets.UTF_8);
        try {
            assertTrue(p.waitFor(300, TimeUnit.SECONDS), command + " did not finish");
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
        assertEquals(0, p.exitValue(), command + " failed: " + out);
    }
}
