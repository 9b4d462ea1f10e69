package dev.sightline.embed.model;

/** The model folder layouts embed-service recognises by their files. */
public enum ModelLayout {
    /** Sightline's bundled layout: text_model.onnx, vision_model.onnx, tokenizer.json, preprocessor_config.json. */
    BUNDLED,
    /** HuggingFace / Xenova / optimum: onnx/text_model.onnx, onnx/vision_model.onnx, tokenizer.json, preprocessor_config.json. */
    HUGGINGFACE,
    /** Immich: textual/model.onnx, visual/model.onnx, visual/preprocess_cfg.json, textual/tokenizer.json. */
    IMMICH
}
