package dev.sightline.gateway.client;

import dev.sightline.common.internal.InternalConfig;
import dev.sightline.common.internal.InternalToken;
import dev.sightline.gateway.config.GatewayConfig;
import io.micrometer.core.instrument.MeterRegistry;
import io.vertx.ext.web.client.WebClientOptions;
import io.vertx.mutiny.core.Vertx;
import io.vertx.mutiny.ext.web.client.WebClient;
import io.quarkus.runtime.Startup;
import jakarta.annotation.PreDestroy;
import jakarta.enterprise.context.ApplicationScoped;

/** The one pooled, keep-alive HTTP client both backend clients share, and the internal token every call carries. */
// Built at start-up, so that a missing or weak internal token stops the gateway before it takes requests.
@Startup
@ApplicationScoped
public class BackendHttp {

    private final WebClient client;
    private final InternalToken token;

    private final MeterRegistry meters;

    public BackendHttp(Vertx vertx, InternalConfig internal, MeterRegistry meters) {
        this.meters = meters;
        this.token = new InternalToken(internal.token());
        this.client = WebClient.create(vertx, new WebClientOptions().setKeepAlive(true).setMaxPoolSize(64)
                .setConnectTimeout(2000).setTcpNoDelay(true).setUserAgent("sightline-gateway"));
    }

    /** A backend called through the shared client, carrying the internal token, with its resilience policy. */
    BackendCall backend(String name, GatewayConfig.Backend config) {
        return new BackendCall(name, client, config, token, meters);
    }

    @PreDestroy
    void close() {
        client.close();
    }
}
