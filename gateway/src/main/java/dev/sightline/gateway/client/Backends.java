package dev.sightline.gateway.client;

import dev.sightline.gateway.config.GatewayConfig;
import io.vertx.ext.web.client.WebClientOptions;
import io.vertx.mutiny.core.Vertx;
import io.vertx.mutiny.ext.web.client.WebClient;
import jakarta.annotation.PreDestroy;
import jakarta.enterprise.context.ApplicationScoped;

/** The two internal services, sharing one pooled, keep-alive HTTP client. */
@ApplicationScoped
public class Backends {

    private final WebClient client;
    private final Downstream embed;
    private final Downstream retrieval;

    public Backends(Vertx vertx, GatewayConfig config) {
        this.client = WebClient.create(vertx, new WebClientOptions().setKeepAlive(true).setMaxPoolSize(64)
                .setConnectTimeout(2000).setTcpNoDelay(true).setUserAgent("sightline-gateway"));
        this.embed = new Downstream("embed-service", client, config.embed());
        this.retrieval = new Downstream("retrieval-service", client, config.retrieval());
    }

    public Downstream embed() {
        return embed;
    }

    public Downstream retrieval() {
        return retrieval;
    }

    @PreDestroy
    void close() {
        client.close();
    }
}
