package dev.sightline.gateway.service;

/** One thing to embed: a text, or an image (base64 or a data URI). */
public record Input(String text, String image) {

    public static Input text(String text) {
        return new Input(text, null);
    }

    public static Input image(String image) {
        return new Input(null, image);
    }

    public boolean isText() {
        return text != null;
    }
}
