package dev.sightline.embed.text;

import ai.djl.huggingface.tokenizers.Encoding;
import ai.djl.huggingface.tokenizers.HuggingFaceTokenizer;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Path;
import java.util.Map;

/**
 * CLIP tokenisation through DJL's HuggingFace tokenizer: start and end tokens added, truncated to the context
 * length with {@code <|endoftext|>} kept last, no padding (the batcher pads per batch). Thread-safe.
 */
public final class ClipTokenizer implements AutoCloseable {

    private final HuggingFaceTokenizer tokenizer;
    private final int contextLength;

    public ClipTokenizer(Path tokenizerJson, int contextLength) {
        this.contextLength = contextLength;
        try {
            this.tokenizer = HuggingFaceTokenizer.newInstance(tokenizerJson, Map.of(
                    "addSpecialTokens", "true",
                    "truncation", "true",
                    "padding", "false",
                    "maxLength", Integer.toString(contextLength)));
        } catch (IOException e) {
            throw new UncheckedIOException("cannot load tokenizer " + tokenizerJson, e);
        }
    }

    /** The token ids of one text, at most the context length long. */
    public int[] encode(String text) {
        Encoding enc = tokenizer.encode(text);
        long[] ids = enc.getIds();
        int n = Math.min(ids.length, contextLength);
        int[] out = new int[n];
        for (int i = 0; i < n; i++) {
            out[i] = (int) ids[i];
        }
        return out;
    }

    @Override
    public void close() {
        tokenizer.close();
    }
}
