package dev.sightline.gateway.service;

import java.util.regex.Pattern;

/** An image as clients send it in JSON: base64, or a {@code data:image/…;base64,} URI, line breaks allowed. */
final class ImagePayload {

    private static final Pattern WHITESPACE = Pattern.compile("\\s+");

    private ImagePayload() {
    }

    /**
     * The payload's bytes as plain base64, for storing the original. Only called for a payload embed-service has
     * decoded already, which checked the URI's form and the alphabet.
     */
    static String base64(String payload) {
        String data = payload.strip();
        if (data.startsWith("data:")) {
            data = data.substring(data.indexOf(',') + 1);
        }
        return WHITESPACE.matcher(data).replaceAll("");
    }
}
