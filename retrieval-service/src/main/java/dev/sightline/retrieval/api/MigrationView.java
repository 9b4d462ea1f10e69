package dev.sightline.retrieval.api;

import com.fasterxml.jackson.annotation.JsonInclude;
import dev.sightline.retrieval.Migration;
import java.time.Duration;
import java.time.OffsetDateTime;
import java.util.UUID;

/**
 * A migration as the API shows it: state, progress ({@code done} of {@code total} items copied by the scan,
 * {@code written_meanwhile} ids still to copy again), the rate since it started (items per second) and the time
 * left at that rate.
 */
@JsonInclude(JsonInclude.Include.NON_NULL)
public record MigrationView(UUID id, String collection, String fromModel, String model, int dimension, String state,
        long done, long total, long writtenMeanwhile, Double rate, Double etaSeconds, String error,
        OffsetDateTime createdAt, OffsetDateTime startedAt, OffsetDateTime finishedAt) {

    static MigrationView of(Migration m) {
        Double rate = null;
        Double eta = null;
        if (m.startedAt() != null) {
            OffsetDateTime end = m.finishedAt() != null ? m.finishedAt() : OffsetDateTime.now();
            double seconds = Duration.between(m.startedAt(), end).toMillis() / 1000.0;
            if (seconds > 0) {
                rate = Math.round(m.done() / seconds * 10) / 10.0;
                if ("running".equals(m.state()) && rate > 0) {
                    eta = Math.round(Math.max(0, m.total() - m.done() + m.dirty()) / rate * 10) / 10.0;
                }
            }
        }
        return new MigrationView(m.id(), m.collection(), m.fromModel(), m.model(), m.dimension(), m.state(), m.done(),
                m.total(), m.dirty(), rate, eta, m.error(), m.createdAt(), m.startedAt(), m.finishedAt());
    }
}
