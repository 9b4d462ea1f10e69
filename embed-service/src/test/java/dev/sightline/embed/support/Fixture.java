package dev.sightline.embed.support;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;

/** The repository's models/ folder: the bundled model and the parity fixture written by models/scripts/fixture.py. */
public final class Fixture {

    private static JsonNode parity;

    private Fixture() {
    }

    /** The repository root: the sightline.root system property, else the nearest parent holding models/. */
    public static Path root() {
        String prop = System.getProperty("sightline.root");
        if (prop != null && Files.isDirectory(Path.of(prop, "models"))) {
            return Path.of(prop);
        }
        Path p = Path.of("").toAbsolutePath();
        while (p != null && !Files.isDirectory(p.resolve("models/tiny-clip"))) {
            p = p.getParent();
        }
        if (p == null) {
            throw new IllegalStateException("cannot find the repository root (models/tiny-clip)");
        }
        return p;
    }

    public static Path bundledModel() {
        return root().resolve("models/tiny-clip");
    }


    public static Path dir() {
        return root().resolve("models/fixtures/parity");
    }

    public static synchronized JsonNode parity() {
        if (parity == null) {
            try {
                parity = new ObjectMapper().readTree(dir().resolve("parity.json").toFile());
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
        }
        return parity;
    }

    public static byte[] bytes(String relative) {
        try {
            return Files.readAllBytes(dir().resolve(relative));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    public static float[] vector(JsonNode array) {
        float[] v = new float[array.size()];
        for (int i = 0; i < v.length; i++) {
            v[i] = (float) array.get(i).asDouble();
        }
        return v;
    }

    public static double cosine(float[] a, float[] b) {
        double dot = 0;
        double na = 0;
        double nb = 0;
        for (int i = 0; i < a.length; i++) {
            dot += (double) a[i] * b[i];
            na += (double) a[i] * a[i];
            nb += (double) b[i] * b[i];
        }
        return dot / Math.sqrt(na * nb);
    }
}
