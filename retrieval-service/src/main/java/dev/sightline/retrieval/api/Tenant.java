package dev.sightline.retrieval.api;

/** The header that names the tenant of every request; set by the gateway, never by end users. */
public final class Tenant {

    public static final String HEADER = "X-Sightline-Tenant";

    private Tenant() {
    }
}
