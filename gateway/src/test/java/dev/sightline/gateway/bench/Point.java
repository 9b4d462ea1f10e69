package dev.sightline.gateway.bench;

/** One point: a query kind ("vector" or "text") at a concurrency, both sides. */
record Point(String query, int concurrency, Result direct, Result gateway) {
}
