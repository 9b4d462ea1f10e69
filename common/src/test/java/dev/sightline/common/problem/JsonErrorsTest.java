package dev.sightline.common.problem;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.util.List;
import org.junit.jupiter.api.Test;

class JsonErrorsTest {

    record Body(List<Inner> items) {
    }

    record Inner(int n) {
    }

    private static final ObjectMapper JSON = new ObjectMapper();

    @Test
    void namesTheFieldOfAMistypedValue() {
        JsonProcessingException e = assertThrows(JsonProcessingException.class,
                () -> JSON.readValue("{\"items\":[{\"n\":1},{\"n\":\"x\"}]}", Body.class));
        assertEquals("Invalid value at 'items[1].n'.", JsonErrors.describe(e));
    }

    @Test
    void givesThePositionOfASyntaxError() {
        JsonProcessingException e = assertThrows(JsonProcessingException.class,
                () -> JSON.readValue("{\"items\" 1}", Body.class));
        assertEquals("The request body is not valid JSON (line 1, column 10).", JsonErrors.describe(e));
    }
}
