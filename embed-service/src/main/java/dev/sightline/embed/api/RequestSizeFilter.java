package dev.sightline.embed.api;

import dev.sightline.common.problem.RequestSizeLimit;
import dev.sightline.embed.config.EmbedConfig;
import io.quarkus.vertx.http.runtime.filters.Filters;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;

/** Refuses bodies over {@code sightline.embed.limits.max-request-bytes} with a 413 problem before reading them. */
@ApplicationScoped
public class RequestSizeFilter {

    void register(@Observes Filters filters, EmbedConfig config) {
        long max = config.limits().maxRequestBytes();
        filters.register(rc -> RequestSizeLimit.check(rc, max), 100);
    }
}
