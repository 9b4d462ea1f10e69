package dev.sightline.common.problem;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonMappingException;
import jakarta.ws.rs.core.Response;
import jakarta.ws.rs.ext.ExceptionMapper;
import jakarta.ws.rs.ext.Provider;
import java.util.stream.Collectors;

/** Malformed or mistyped JSON bodies as 400 problem details naming the offending field. */
@Provider
public class JsonErrorMapper implements ExceptionMapper<JsonProcessingException> {

    @Override
    public Response toResponse(JsonProcessingException e) {
        return problem(e).toResponse();
    }

    /** The problem describing a JSON error, naming the field or position but no internals. */
    static Problem problem(JsonProcessingException e) {
        String detail;
        if (e instanceof JsonMappingException m && !m.getPath().isEmpty()) {
            String path = m.getPath().stream()
                    .map(r -> r.getFieldName() != null ? r.getFieldName() : "[" + r.getIndex() + "]")
                    .collect(Collectors.joining("."));
            detail = "Invalid value at '" + path.replace(".[", "[") + "'.";
        } else {
            detail = "The request body is not valid JSON"
                    + (e.getLocation() != null ? " (line " + e.getLocation().getLineNr() + ", column "
                            + e.getLocation().getColumnNr() + ")." : ".");
        }
        return Problem.of(400, "invalid-json", "Invalid JSON", detail);
    }
}
