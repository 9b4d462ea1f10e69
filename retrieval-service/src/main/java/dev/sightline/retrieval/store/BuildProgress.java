package dev.sightline.retrieval.store;

/**
 * One fraction for a whole {@code CREATE INDEX CONCURRENTLY}, from {@code pg_stat_progress_create_index}: its phase
 * and how far that phase is. PostgreSQL counts each phase from zero, so the phase's own fraction fell from near 1 to
 * 0 where the build's pass ended and validation began (0.836 then 0.430 at a million rows), which a client reads as
 * the build going backwards.
 *
 * <p>The build's pass (pgvector's heap scan that builds the graph) is the first nine tenths; the validation passes
 * share the last tenth, in their order. Validation takes seconds after an undisturbed load; only rows written during
 * the build make it long, and then the last tenth moves slowly but never back.
 */
final class BuildProgress {

    /** The build's pass: up to here. */
    static final double BUILD = 0.9;
    /** Validation's index scan: up to here; then its sort; then its table scan, up to 1. */
    static final double INDEX_SCAN = 0.93;

    private BuildProgress() {
    }

    /**
     * The fraction of the whole build done, 0 to 1; null for a phase this does not know (an extension's, a later
     * PostgreSQL's). {@code fraction}: how far the phase is (null when PostgreSQL reports no count for it).
     */
    static Double of(String phase, Double fraction) {
        if (phase == null) {
            return null;
        }
        double f = fraction == null ? 0 : Math.max(0, Math.min(1, fraction));
        if (phase.equals("initializing") || phase.equals("waiting for writers before build")
                || phase.equals("building index: initializing")) {
            return 0.0;
        }
        if (phase.startsWith("building index")) {
            return BUILD * f;
        }
        return switch (phase) {
            case "waiting for writers before validation" -> BUILD;
            case "index validation: scanning index" -> BUILD + (INDEX_SCAN - BUILD) * f;
            case "index validation: sorting tuples" -> INDEX_SCAN;
            case "index validation: scanning table" -> INDEX_SCAN + (1 - INDEX_SCAN) * f;
            case "waiting for old snapshots", "waiting for readers before marking dead",
                    "waiting for readers before dropping" -> 1.0;
            default -> null;
        };
    }
}
