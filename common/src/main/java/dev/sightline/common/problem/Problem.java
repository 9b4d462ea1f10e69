package dev.sightline.common.problem;

import com.fasterxml.jackson.annotation.JsonInclude;
import java.util.List;

/** An RFC 9457 problem details body. */
@JsonInclude(JsonInclude.Include.NON_NULL)
public record Problem(String type, String title, int status, String detail, String instance, List<String> errors) {

    /** The media type of problem details. */
    public static final String MEDIA_TYPE = "application/problem+json";

    /** Base of the problem type URIs of every Sightline service. */
    public static final String TYPE_BASE = "https://sightline.dev/problems/";
}
