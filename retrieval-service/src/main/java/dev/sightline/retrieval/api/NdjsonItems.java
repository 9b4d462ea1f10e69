package dev.sightline.retrieval.api;

import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.MappingIterator;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.ObjectReader;
import dev.sightline.common.problem.CommonProblem;
import dev.sightline.common.problem.ProblemException;
import dev.sightline.retrieval.Collection;
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
 * with the line's number in the problem.
 */
final class NdjsonItems implements ItemStore.ItemSource {

    private final MappingIterator<ItemInput> lines;
    private final RequestChecks checks;
    private final int maxItems;
    private final Set<String> seen = new HashSet<>();
    private int count;

    NdjsonItems(ObjectMapper mapper, InputStream body, RequestChecks checks, int maxItems) {
        this.checks = checks;
        this.maxItems = maxItems;
        ObjectReader reader = mapper.readerFor(ItemInput.class).with(JsonParser.Feature.USE_FAST_DOUBLE_PARSER);
        try {
            this.lines = reader.readValues(body);
        } catch (JsonProcessingException e) {
            throw unreadable(1, e);
        } catch (IOException e) {
            throw cut(e);
        }
    }

    @Override
    public NewItem next(Collection collection) {
        ItemInput in;
        int line = -1; // where the item starts: an error inside it names that line
        try {
            if (!lines.hasNextValue()) {
                return null;
            }
            line = lines.getCurrentLocation().getLineNr();
            in = lines.nextValue();
        } catch (JsonProcessingException e) {
            throw unreadable(line > 0 || e.getLocation() == null ? line : e.getLocation().getLineNr(), e);
        } catch (IOException e) {
            throw cut(e);
        }
        if (++count > maxItems) {
            throw new ProblemException(CommonProblem.PAYLOAD_TOO_LARGE, "At most " + maxItems
                    + " items per bulk request.");
        }
        if (in == null) {
            throw new ProblemException(CommonProblem.INVALID_REQUEST, "line " + line + ": an item must be an object.");
        }
        NewItem item = checks.item(in, "line " + line, seen);
        PgVectors.check(item.vector(), collection, "line " + line + ": vector");
        return item;
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
