package dev.sightline.retrieval.config;

import io.smallrye.config.ConfigMapping;
import io.smallrye.config.WithDefault;
import java.time.Duration;

/** Every setting of retrieval-service, under the prefix {@code sightline.retrieval}. */
@ConfigMapping(prefix = "sightline.retrieval")
public interface RetrievalConfig {

    /** HNSW index settings for new collections. */
    Hnsw hnsw();

    /** Search settings. */
    Search search();

    /** Request limits. */
    Limits limits();

    /** Removal of deleted collections' partitions. */
    Partitions partitions();

    /** HNSW settings, fixed per collection at creation. */
    interface Hnsw {
        /** Neighbours per node (pgvector m). */
        @WithDefault("16")
        int m();

        /** Candidate list size while building (pgvector ef_construction). */
        @WithDefault("64")
        int efConstruction();
    }

    /** Search settings. */
    interface Search {
        /** ef_search used when a query names none (pgvector hnsw.ef_search). */
        @WithDefault("40")
        int defaultEfSearch();

        /** Largest ef_search a query may ask for. */
        @WithDefault("1000")
        int maxEfSearch();

        /** Largest top_k. */
        @WithDefault("1000")
        int maxTopK();

        /** pgvector 0.8 iterative index scan for filtered queries: relaxed_order, strict_order or off. */
        @WithDefault("relaxed_order")
        String iterativeScan();

        /** Most tuples an iterative scan visits before giving up (pgvector hnsw.max_scan_tuples). */
        @WithDefault("20000")
        int maxScanTuples();
    }

    /** Request limits. */
    interface Limits {
        /** Largest request body in bytes. */
        @WithDefault("33554432")
        long maxRequestBytes();

        /** Most items in one upsert. */
        @WithDefault("1000")
        int maxBatchItems();

        /** Largest metadata object of one item, in bytes of JSON. */
        @WithDefault("16384")
        int maxMetadataBytes();

        /** Longest item text in characters. */
        @WithDefault("8192")
        int maxTextChars();

        /** Largest vector dimension (pgvector's HNSW limit is 2000). */
        @WithDefault("2000")
        int maxDimension();

        /** Largest filter object in bytes of JSON. */
        @WithDefault("4096")
        int maxFilterBytes();

        /** Deepest nesting of metadata and filter objects (the object itself is level 1). */
        @WithDefault("32")
        int maxJsonDepth();

        /** Most labels of a saved classifier (at least two are always required). */
        @WithDefault("1000")
        int maxClassifierLabels();

        /** Most prompt templates of a saved classifier. */
        @WithDefault("32")
        int maxClassifierTemplates();
    }

    /** Background detach and drop of deleted collections' partitions. */
    interface Partitions {
        /** Longest wait of a DETACH … FINALIZE (after a crash), which holds off collection creation meanwhile. */
        @WithDefault("2S")
        Duration finalizeTimeout();

        /** Pause before retrying partitions that could not be detached or dropped yet. */
        @WithDefault("10S")
        Duration retryInterval();
    }
}
