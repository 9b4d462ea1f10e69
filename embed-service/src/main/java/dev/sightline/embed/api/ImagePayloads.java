package dev.sightline.embed.api;

import dev.sightline.common.problem.ProblemException;
import dev.sightline.common.problem.CommonProblem;
import dev.sightline.embed.EmbedProblem;
import java.util.Base64;
import java.util.Locale;

/** Turns base64 strings and data URIs into image bytes, refusing oversized ones before decoding them. */
final class ImagePayloads {

    private static final java.util.regex.Pattern WHITESPACE = java.util.regex.Pattern.compile("\\s+");

    private ImagePayloads() {
    }

    static byte[] decode(String payload, long maxBytes) {
        String data = payload.strip();
        if (data.startsWith("data:")) {
            int comma = data.indexOf(',');
            if (comma < 0 || !data.substring(0, comma).endsWith(";base64")) {
                throw new ProblemException(EmbedProblem.INVALID_ENCODING, "A data URI must be of the form data:<type>;base64,<data>.");
            }
            // The type is the sender's own statement; refuse a non-image before decoding. (Not echoed: it is
            // arbitrary text.) Without a type, or with an image type, the bytes' signature decides.
            String type = data.substring("data:".length(), data.indexOf(';')).strip().toLowerCase(Locale.ROOT);
            if (!type.isEmpty() && !type.startsWith("image/")) {
                throw new ProblemException(CommonProblem.UNSUPPORTED_MEDIA_TYPE,
                        "The data URI's media type is not an image type (image/...).");
            }
            data = data.substring(comma + 1);
        }
        if (data.isEmpty()) {
            throw new ProblemException(EmbedProblem.INVALID_ENCODING, "The image is empty.");
        }
        if ((long) data.length() * 3 / 4 > maxBytes + 3) {
            throw new ProblemException(CommonProblem.PAYLOAD_TOO_LARGE, "The image exceeds " + maxBytes + " bytes.");
        }
        try {
            // Line breaks and spaces are tolerated, any other character outside the alphabet is an error;
            // the URL-safe alphabet is mapped to the standard one.
            return Base64.getDecoder().decode(WHITESPACE.matcher(data).replaceAll("").replace('-', '+').replace('_', '/'));
        } catch (IllegalArgumentException e) {
            throw new ProblemException(EmbedProblem.INVALID_ENCODING, "The image is not valid base64.");
        }
    }
}
