package dev.sightline.retrieval.api;

import dev.sightline.common.problem.RequestSizeLimit;
import dev.sightline.retrieval.config.RetrievalConfig;
import io.quarkus.vertx.http.runtime.filters.Filters;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;

/** Refuses bodies over {@code sightline.retrieval.limits.max-request-bytes} with a 413 problem before reading them. */
@ApplicationScoped
public class RequestSizeFilter {

    void register(@Observes Filters filters, RetrievalConfig config) {
        long max = config.limits().maxRequestBytes();
        filters.register(rc -> RequestSizeLimit.check(rc, max), 100);
    }
}
