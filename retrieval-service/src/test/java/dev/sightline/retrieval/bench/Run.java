package dev.sightline.retrieval.bench;

import dev.sightline.retrieval.Precision;
import java.util.List;

/**
 * One collection's figures: a data set at a precision.
 *
 * @param loadSeconds the bulk load through the service
 * @param buildSeconds from the end of the load until the service reported the index ready (includes its quiet period)
 * @param indexBytes the HNSW index; {@code tableBytes} the partition with every index
 * @param byItem the searches by item_id, at {@link Settings#BY_ITEM_EF} (recall not scored)
 */
record Run(String dataset, Precision precision, int vectors, double loadSeconds, double buildSeconds,
        long indexBytes, long tableBytes, List<Row> rows, Row byItem, Point floor) {

    double loadRate() {
        return vectors / loadSeconds;
    }

    Row at(int ef) {
        return rows.stream().filter(r -> r.ef() == ef).findFirst().orElseThrow();
    }
}
