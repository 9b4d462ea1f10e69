package dev.sightline.gateway.bench;

/** The processes whose CPU the benchmark accounts for separately: this client, the gateway and the two services. */
record Pids(long client, long gateway, long retrieval, long embed) {
}
