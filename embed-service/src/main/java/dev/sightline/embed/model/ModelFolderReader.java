package dev.sightline.embed.model;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.sightline.embed.image.PreprocessConfig;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Optional;

/** Recognises a model folder's layout by its files and reads its configuration. */
public final class ModelFolderReader {

    private static final ObjectMapper JSON = new ObjectMapper();
    private static final int DEFAULT_CONTEXT = 77;

    private ModelFolderReader() {
    }

    /** Resolves the folder, or throws {@link IllegalArgumentException} naming what is missing. */
    public static ModelFolder read(Path dir) {
        if (!Files.isDirectory(dir)) {
            throw new IllegalArgumentException("model folder " + dir.toAbsolutePath() + " does not exist");
        }
        if (isFile(dir, "text_model.onnx") && isFile(dir, "vision_model.onnx")) {
            return hfStyle(dir, ModelLayout.BUNDLED, dir.resolve("text_model.onnx"), dir.resolve("vision_model.onnx"));
        }
        if (isFile(dir, "onnx/text_model.onnx") && isFile(dir, "onnx/vision_model.onnx")) {
            return hfStyle(dir, ModelLayout.HUGGINGFACE, dir.resolve("onnx/text_model.onnx"),
                    dir.resolve("onnx/vision_model.onnx"));
        }
        if (isFile(dir, "textual/model.onnx") && isFile(dir, "visual/model.onnx")) {
            return immich(dir);
        }
        throw new IllegalArgumentException("no CLIP model recognised in " + dir.toAbsolutePath()
                + ": expected text_model.onnx + vision_model.onnx, onnx/text_model.onnx + onnx/vision_model.onnx"
                + " (HF/Xenova) or textual/model.onnx + visual/model.onnx (Immich)");
    }

    private static ModelFolder hfStyle(Path dir, ModelLayout layout, Path text, Path vision) {
        Path tokenizer = require(dir, "tokenizer.json");
        JsonNode pre = json(require(dir, "preprocessor_config.json"));
        JsonNode config = isFile(dir, "config.json") ? json(dir.resolve("config.json")) : JSON.createObjectNode();
        int shortest = sizeOf(pre.path("size"), "shortest_edge", 224);
        JsonNode crop = pre.path("crop_size");
        int cropH = crop.isInt() ? crop.asInt() : crop.path("height").asInt(shortest);
        int cropW = crop.isInt() ? crop.asInt() : crop.path("width").asInt(shortest);
        PreprocessConfig defaults = PreprocessConfig.clipDefaults();
        PreprocessConfig preprocess = new PreprocessConfig(shortest, cropH, cropW,
                floats(pre.path("image_mean"), defaults.mean()), floats(pre.path("image_std"), defaults.std()),
                (float) pre.path("rescale_factor").asDouble(1 / 255.0));
        int context = config.path("context_length").asInt(
                config.path("text_config").path("max_position_embeddings").asInt(DEFAULT_CONTEXT));
        // Sightline writes the trained exp value as logit_scale; HF configs only carry the initial log value,
        // which is not the trained one, so they fall back to the service setting.
        Optional<Float> scale = config.hasNonNull("logit_scale")
                ? Optional.of((float) config.get("logit_scale").asDouble()) : Optional.empty();
        return new ModelFolder(dir, layout, text, vision, tokenizer, preprocess, context, scale, id(config));
    }

    private static ModelFolder immich(Path dir) {
        Path tokenizer = isFile(dir, "textual/tokenizer.json") ? dir.resolve("textual/tokenizer.json")
                : require(dir, "tokenizer.json");
        JsonNode pre = json(require(dir, "visual/preprocess_cfg.json"));
        JsonNode config = isFile(dir, "config.json") ? json(dir.resolve("config.json")) : JSON.createObjectNode();
        JsonNode size = pre.path("size");
        int h = size.isArray() ? size.get(0).asInt() : size.asInt(224);
        int w = size.isArray() && size.size() > 1 ? size.get(1).asInt() : h;
        PreprocessConfig defaults = PreprocessConfig.clipDefaults();
        PreprocessConfig preprocess = new PreprocessConfig(Math.min(h, w), h, w, floats(pre.path("mean"), defaults.mean()),
                floats(pre.path("std"), defaults.std()), 1 / 255f);
        int context = config.path("text_cfg").path("context_length").asInt(DEFAULT_CONTEXT);
        Optional<Float> scale = config.hasNonNull("logit_scale")
                ? Optional.of((float) config.get("logit_scale").asDouble()) : Optional.empty();
        return new ModelFolder(dir, ModelLayout.IMMICH, dir.resolve("textual/model.onnx"), dir.resolve("visual/model.onnx"),
                tokenizer, preprocess, context, scale, id(config));
    }

    private static Optional<String> id(JsonNode config) {
        for (String key : new String[] {"model_id", "_name_or_path", "name"}) {
            if (config.hasNonNull(key) && !config.get(key).asText().isBlank()) {
                return Optional.of(config.get(key).asText());
            }
        }
        return Optional.empty();
    }

    private static int sizeOf(JsonNode size, String key, int fallback) {
        if (size.isInt()) {
            return size.asInt();
        }
        return size.path(key).asInt(size.path("height").asInt(fallback));
    }

    private static float[] floats(JsonNode node, float[] fallback) {
        if (!node.isArray() || node.size() != 3) {
            return fallback;
        }
        return new float[] {(float) node.get(0).asDouble(), (float) node.get(1).asDouble(), (float) node.get(2).asDouble()};
    }

    private static boolean isFile(Path dir, String name) {
        return Files.isRegularFile(dir.resolve(name));
    }

    private static Path require(Path dir, String name) {
        Path p = dir.resolve(name);
        if (!Files.isRegularFile(p)) {
            throw new IllegalArgumentException("model folder " + dir.toAbsolutePath() + " lacks " + name);
        }
        return p;
    }

    private static JsonNode json(Path file) {
        try {
            return JSON.readTree(file.toFile());
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read " + file, e);
        }
    }
}
