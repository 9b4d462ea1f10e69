package dev.sightline.gateway.service;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonGenerator;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.JsonToken;
import com.fasterxml.jackson.core.StreamReadFeature;
import com.fasterxml.jackson.core.StreamWriteFeature;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import dev.sightline.common.naming.Names;
import dev.sightline.common.ndjson.VectorLine;
import dev.sightline.common.problem.CommonProblem;
import dev.sightline.common.problem.ProblemCode;
import dev.sightline.common.problem.ProblemException;
import dev.sightline.common.text.StorableText;
import dev.sightline.common.vector.Vectors;
import io.vertx.core.buffer.Buffer;
import java.io.IOException;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Pattern;

/**
 * The NDJSON of a bulk write, both ways: the client's lines ({@code {id, text}}, {@code {id, image}} or
 * {@code {id, vector, modality}}, each with optional {@code metadata}) read and checked one by one, and the lines
 * retrieval-service's bulk write takes. Lines are numbered as the client sent them, blank ones included (they are
 * skipped); every problem names its line.
 */
final class BulkItems {

    /** One checked line: exactly one of text, image and vector; {@code modality} is what the vector was made from. */
    record BulkItem(int line, String id, String text, String image, float[] vector, String modality,
            JsonNode metadata) {

        /** Whether the gateway embeds this item (a text or an image) rather than storing the vector it came with. */
        boolean embedded() {
            return vector == null;
        }

        Input input() {
            return new Input(text, image);
        }
    }

    /** retrieval-service's item ids (and the contract's ItemId): checked here, so that a bad one names its line. */
    static final Pattern ITEM_ID = Names.ITEM_ID;

    private static final ObjectMapper MAPPER = new ObjectMapper();
    /** The first guess at a vector's length (CLIP ViT-B); longer ones grow the array. */
    private static final int EXPECTED_DIMENSION = 512;
    // Both fast number codecs are exact (correctly rounded floats, shortest round-tripping text) and take about half
    // the time of the JDK's on vector lines.
    private static final JsonFactory LINES = JsonFactory.builder().enable(StreamReadFeature.STRICT_DUPLICATE_DETECTION)
            .enable(StreamReadFeature.USE_FAST_DOUBLE_PARSER).build();
    private static final ObjectMapper OUT = new ObjectMapper(JsonFactory.builder()
            .enable(StreamWriteFeature.USE_FAST_DOUBLE_WRITER).build());

    private BulkItems() {
    }

    /**
     * Every item of the body, checked as far as it can be without the collection: more items or images than the
     * limits allow are a 413, the first bad line a 400 naming it.
     */
    static List<BulkItem> parse(Buffer body, int maxItems, int maxImages) {
        List<int[]> lines = lines(body);
        if (lines.isEmpty()) {
            throw Problems.invalid("The request body has no items: send one JSON object per line.");
        }
        if (lines.size() > maxItems) {
            throw Problems.tooLarge("At most " + maxItems + " items per bulk request; got " + lines.size() + ".");
        }
        List<BulkItem> items = new ArrayList<>(lines.size());
        Map<String, Integer> seen = new HashMap<>();
        int images = 0;
        for (int[] l : lines) {
            BulkItem item = item(l[0], body.getBytes(l[1], l[2]));
            Integer first = seen.putIfAbsent(item.id(), item.line());
            if (first != null) {
                throw invalid(item.line(), "duplicate id " + item.id() + " (also on line " + first + ").");
            }
            images += item.image() != null ? 1 : 0;
            items.add(item);
        }
        if (images > maxImages) {
            throw Problems.tooLarge("At most " + maxImages + " images per bulk request; got " + images + ".");
        }
        return items;
    }

    /** Each vector line's vector against the collection's dimension, before anything is embedded. */
    static void checkDimensions(List<BulkItem> items, int dimension) {
        for (BulkItem it : items) {
            if (!it.embedded()) {
                Vectors.dimension(it.vector(), dimension, "line " + it.line() + ": vector");
            }
        }
    }

    /** The non-blank lines as {number, start, end} (end exclusive, without the line break). */
    private static List<int[]> lines(Buffer body) {
        List<int[]> lines = new ArrayList<>();
        int number = 1;
        int start = 0;
        boolean blank = true;
        for (int i = 0, n = body.length(); i <= n; i++) {
            byte b = i < n ? body.getByte(i) : (byte) '\n';
            if (b == '\n') {
                if (!blank) {
                    lines.add(new int[] {number, start, i});
                }
                number++;
                start = i + 1;
                blank = true;
            } else if (b != ' ' && b != '\t' && b != '\r') {
                blank = false;
            }
        }
        return lines;
    }

    /**
     * One line: its vector, when it has the plain shape, parsed by {@link VectorLine} (most of a vector line's bytes,
     * read once), the rest by the parser below; any problem is found again on the whole line, so that what is said
     * about a bad line does not depend on the path.
     */
    private static BulkItem item(int line, byte[] json) {
        VectorLine split = VectorLine.split(json, 0, json.length, EXPECTED_DIMENSION);
        if (split != null) {
            try {
                return item(line, split.rest(), split.vector());
            } catch (ProblemException e) {
                // the whole line again, below
            }
        }
        return item(line, json, null);
    }

    private static BulkItem item(int line, byte[] json, float[] parsedVector) {
        String id = null;
        String text = null;
        String image = null;
        String modality = null;
        float[] vector = parsedVector;
        JsonNode metadata = null;
        try (JsonParser p = LINES.createParser(json)) {
            if (p.nextToken() != JsonToken.START_OBJECT) {
                throw invalid(line, "an item must be a JSON object.");
            }
            while (p.nextToken() == JsonToken.FIELD_NAME) {
                String field = p.currentName();
                JsonToken value = p.nextToken();
                switch (field) {
                    case "id" -> id = string(p, value, line, field);
                    case "text" -> text = string(p, value, line, field);
                    case "image" -> image = string(p, value, line, field);
                    case "modality" -> modality = string(p, value, line, field);
                    case "vector" -> vector = vector(p, value, line);
                    case "metadata" -> metadata = metadata(p, value, line);
                    default -> throw invalid(line, "unknown field '" + field + "'.");
                }
            }
            if (p.nextToken() != null) {
                throw invalid(line, "one JSON object per line; this line has more.");
            }
        } catch (JsonProcessingException e) {
            throw new ProblemException(CommonProblem.INVALID_JSON, "line " + line + ": not valid JSON"
                    + (e.getLocation() != null ? " (column " + e.getLocation().getColumnNr() + ")." : "."));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return checked(new BulkItem(line, id, text, image, vector, modality, metadata));
    }

    private static BulkItem checked(BulkItem it) {
        int line = it.line();
        if (it.id() == null) {
            throw invalid(line, "id is required.");
        }
        if (!ITEM_ID.matcher(it.id()).matches()) {
            throw invalid(line, "id must match " + ITEM_ID.pattern() + ".");
        }
        int given = (it.text() != null ? 1 : 0) + (it.image() != null ? 1 : 0) + (it.vector() != null ? 1 : 0);
        if (given != 1) {
            throw invalid(line, "give exactly one of text, image and vector.");
        }
        if (it.vector() == null && it.modality() != null) {
            throw invalid(line, "modality goes only with a vector (a text or an image is its own modality).");
        }
        if (it.text() != null) {
            storable(line, "text", it.text());
            if (it.text().isBlank()) {
                throw invalid(line, "text is empty.");
            }
        }
        if (it.image() != null) {
            storable(line, "image", it.image());
            if (it.image().isBlank()) {
                throw invalid(line, "image is empty.");
            }
        }
        if (it.vector() != null) {
            checkVector(line, it.vector(), it.modality());
        }
        String unstorable = StorableText.firstProblem(JsonNodeFactory.instance.objectNode().set("metadata",
                it.metadata()));
        if (unstorable != null) {
            throw invalid(line, "unstorable text: " + unstorable + ".");
        }
        return it;
    }

    private static void checkVector(int line, float[] vector, String modality) {
        if (modality == null) {
            throw invalid(line, "a vector needs its modality, image or text.");
        }
        if (!modality.equals("image") && !modality.equals("text")) {
            throw invalid(line, "modality must be image or text.");
        }
        if (vector.length == 0) {
            throw invalid(line, "vector is empty.");
        }
        // JSON has no NaN or infinity: a non-finite component is a number beyond float32.
        Vectors.values(vector, "line " + line + ": vector", "has a component beyond the float32 range");
    }

    private static String string(JsonParser p, JsonToken value, int line, String field) throws IOException {
        if (value == JsonToken.VALUE_NULL) {
            return null;
        }
        if (value != JsonToken.VALUE_STRING) {
            throw wrongType(line, field + " must be a string.");
        }
        String s = p.getText();
        if (!field.equals("text") && !field.equals("image")) {
            storable(line, field, s);
        }
        return s;
    }

    private static float[] vector(JsonParser p, JsonToken value, int line) throws IOException {
        if (value == JsonToken.VALUE_NULL) {
            return null;
        }
        if (value != JsonToken.START_ARRAY) {
            throw wrongType(line, "vector must be an array of numbers.");
        }
        float[] v = new float[512];
        int n = 0;
        for (JsonToken t = p.nextToken(); t != JsonToken.END_ARRAY; t = p.nextToken()) {
            if (t != JsonToken.VALUE_NUMBER_INT && t != JsonToken.VALUE_NUMBER_FLOAT) {
                throw wrongType(line, "vector must be an array of numbers.");
            }
            if (n == v.length) {
                v = Arrays.copyOf(v, n * 2);
            }
            // Read as float32 from the text itself: no detour through double, which could round differently.
            v[n++] = p.getFloatValue();
        }
        return Arrays.copyOf(v, n);
    }

    private static JsonNode metadata(JsonParser p, JsonToken value, int line) throws IOException {
        if (value == JsonToken.VALUE_NULL) {
            return null;
        }
        if (value != JsonToken.START_OBJECT) {
            throw invalid(line, "metadata must be a JSON object.");
        }
        return MAPPER.readTree(p);
    }

    private static void storable(int line, String field, String value) {
        String problem = StorableText.problem(value);
        if (problem != null) {
            throw invalid(line, field + " " + problem + ".");
        }
    }

    /**
     * The lines retrieval-service's bulk write takes, one per item in the same order: {@code {id, vector, modality,
     * text?, metadata?, version}}; {@code vectors.get(i)} is item i's vector.
     */
    static Buffer ndjson(List<BulkItem> items, List<float[]> vectors, long version) {
        // Sized for the usual case (components of ~11 characters, short metadata): growing it is a copy each time.
        long estimate = 0;
        for (int i = 0; i < items.size(); i++) {
            estimate += 96L + vectors.get(i).length * 12L + items.get(i).id().length()
                    + (items.get(i).text() == null ? 0 : items.get(i).text().length());
        }
        Buffer out = Buffer.buffer((int) Math.min(estimate, Integer.MAX_VALUE - 8));
        try (JsonGenerator g = OUT.createGenerator(new BufferOutput(out))) {
            g.setRootValueSeparator(null);
            for (int i = 0; i < items.size(); i++) {
                BulkItem it = items.get(i);
                g.writeStartObject();
                g.writeStringField("id", it.id());
                g.writeArrayFieldStart("vector");
                for (float x : vectors.get(i)) {
                    g.writeNumber(x);
                }
                g.writeEndArray();
                g.writeStringField("modality", it.embedded() ? (it.text() != null ? "text" : "image") : it.modality());
                if (it.text() != null) {
                    g.writeStringField("text", it.text());
                }
                if (it.metadata() != null) {
                    g.writeFieldName("metadata");
                    g.writeTree(it.metadata());
                }
                g.writeNumberField("version", version);
                g.writeEndObject();
                g.writeRaw('\n');
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return out;
    }

    private static ProblemException invalid(int line, String what) {
        return problem(CommonProblem.INVALID_REQUEST, line, what);
    }

    private static ProblemException wrongType(int line, String what) {
        return problem(CommonProblem.INVALID_JSON, line, what);
    }

    private static ProblemException problem(ProblemCode code, int line, String what) {
        return new ProblemException(code, "line " + line + ": " + what);
    }

    /** Jackson writing straight into a Vert.x buffer: no second copy of a body of up to the bulk limit. */
    private static final class BufferOutput extends OutputStream {

        private final Buffer buffer;

        BufferOutput(Buffer buffer) {
            this.buffer = buffer;
        }

        @Override
        public void write(int b) {
            buffer.appendByte((byte) b);
        }

        @Override
        public void write(byte[] b, int off, int len) {
            buffer.appendBytes(b, off, len);
        }
    }
}
