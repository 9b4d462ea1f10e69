package dev.sightline.retrieval.api;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.ObjectReader;
import dev.sightline.common.ndjson.NdjsonLines;
import dev.sightline.common.ndjson.VectorLine;
import dev.sightline.common.problem.CommonProblem;
import dev.sightline.common.problem.ProblemException;
import dev.sightline.retrieval.Collection;
import dev.sightline.retrieval.config.RetrievalConfig;
import dev.sightline.retrieval.store.ItemStore;
import dev.sightline.retrieval.store.NewItem;
import dev.sightline.retrieval.store.PgVectors;
import java.io.IOException;
import java.io.InputStream;
import java.util.HashSet;
import java.util.Set;

/**
 * The items of an {@code application/x-ndjson} body, one JSON object per line, read and checked one at a time as
 * the store asks for them: the body is never held whole. Any bad line fails the whole request (nothing is written),
 * with the line's number in the problem. A line's vector is parsed by {@link VectorLine} and its other members by
 * the service's mapper; a line of any other shape is read by the mapper whole, with the same rules.
 */
final class NdjsonItems implements ItemStore.ItemSource {

    private final ObjectReader reader;
    private final NdjsonLines lines;
    private final RequestChecks checks;
    private final int maxItems;
    private final Set<String> seen = new HashSet<>();
    private int count;

    NdjsonItems(ObjectMapper mapper, InputStream body, RequestChecks checks, RetrievalConfig.Bulk limits) {
        this.reader = mapper.readerFor(ItemInput.class).with(DeserializationFeature.FAIL_ON_TRAILING_TOKENS);
        this.lines = new NdjsonLines(body, limits.maxLineBytes());
        this.checks = checks;
        this.maxItems = limits.maxItems();
    }

    @Override
    public NewItem next(Collection collection) {
        try {
            do {
                if (!lines.next()) {
                    return null;
                }
            } while (lines.blank());
        } catch (NdjsonLines.LineTooLong e) {
            throw new ProblemException(CommonProblem.PAYLOAD_TOO_LARGE, e.getMessage());
        } catch (IOException e) {
            throw cut(e);
        }
        int line = lines.number();
        if (++count > maxItems) {
            throw new ProblemException(CommonProblem.PAYLOAD_TOO_LARGE, "At most " + maxItems
                    + " items per bulk request.");
        }
        ItemInput in = read(line, collection.dimension());
        if (in == null) {
            throw new ProblemException(CommonProblem.INVALID_REQUEST, "line " + line + ": an item must be an object.");
        }
        if (in.media() != null) {
            // Kept media take the JSON route, whose batches are small enough to hold their blobs.
            throw new ProblemException(CommonProblem.INVALID_REQUEST, "line " + line
                    + ": media is taken by POST /collections/{name}/items only, not by bulk lines.");
        }
        NewItem item = checks.item(in, "line " + line, seen);
        PgVectors.check(item.vector(), collection, "line " + line + ": vector");
        return item;
    }

    private ItemInput read(int line, int dimension) {
        byte[] b = lines.buffer();
        VectorLine split = VectorLine.split(b, lines.start(), lines.end(), dimension);
        if (split != null) {
            try {
                ItemInput rest = reader.readValue(split.rest());
                return new ItemInput(rest.id(), split.vector(), rest.modality(), rest.text(), rest.metadata(),
                        rest.version(), rest.media());
            } catch (IOException e) {
                // the whole line again, below: what is said about a bad line does not depend on the path
            }
        }
        try {
            return reader.readValue(b, lines.start(), lines.end() - lines.start());
        } catch (JsonProcessingException e) {
            throw unreadable(line, e);
        } catch (IOException e) {
            throw cut(e);
        }
    }

    private static ProblemException unreadable(int line, JsonProcessingException e) {
        String why = e.getOriginalMessage() == null ? "" : e.getOriginalMessage();
        return new ProblemException(CommonProblem.INVALID_REQUEST, "line " + line + ": not a JSON item object ("
                + (why.length() > 200 ? why.substring(0, 200) + "…" : why) + ").");
    }

    /** The body stopped before its end (the client went away, or the size limit cut it). */
    private static ProblemException cut(IOException e) {
        return new ProblemException(CommonProblem.INVALID_REQUEST, "The request body could not be read to its end.", e);
    }
}
