package dev.sightline.gateway.client;

import io.vertx.ext.web.client.WebClientOptions;
import io.vertx.mutiny.core.Vertx;
import io.vertx.mutiny.ext.web.client.WebClient;
import jakarta.annotation.PreDestroy;
import jakarta.enterprise.context.ApplicationScoped;

/** The one pooled, keep-alive HTTP client both backend clients share. */
@ApplicationScoped
public class BackendHttp {

    private final WebClient client;

    public BackendHttp(Vertx vertx) {
        this.client = WebClient.create(vertx, new WebClientOptions().setKeepAlive(true).setMaxPoolSize(64)
                .setConnectTimeout(2000).setTcpNoDelay(true).setUserAgent("sightline-gateway"));
    }

    WebClient client() {
        return client;
    }

    @PreDestroy
    void close() {
        client.close();
    }
}
