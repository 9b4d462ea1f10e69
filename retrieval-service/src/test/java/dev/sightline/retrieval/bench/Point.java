package dev.sightline.retrieval.bench;

/**
 * One measured point.
 *
 * @param recall mean recall@10 over every query issued (NaN where not scored)
 * @param serverMs the service's own mean time per search over the point (HTTP searches only, else NaN)
 * @param walSyncs WAL flushes of the cluster per query over the point (NaN if unknown)
 */
record Point(int concurrency, long count, double qps, double p50, double p99, double recall, double serverMs,
        double walSyncs) {
}
