package dev.sightline.common.problem;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonMappingException;
import java.util.stream.Collectors;

/** Describes a JSON read error for the client: the offending field or position, never internals. */
public final class JsonErrors {

    private JsonErrors() {
    }

    public static String describe(JsonProcessingException e) {
        if (e instanceof JsonMappingException m && !m.getPath().isEmpty()) {
            String path = m.getPath().stream()
                    .map(r -> r.getFieldName() != null ? r.getFieldName() : "[" + r.getIndex() + "]")
                    .collect(Collectors.joining("."));
            return "Invalid value at '" + path.replace(".[", "[") + "'.";
        }
        return "The request body is not valid JSON"
                + (e.getLocation() != null ? " (line " + e.getLocation().getLineNr() + ", column "
                        + e.getLocation().getColumnNr() + ")." : ".");
    }
}
