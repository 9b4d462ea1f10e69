package dev.sightline.retrieval.config;

import io.smallrye.config.ConfigMapping;
import io.smallrye.config.WithDefault;
import java.time.Duration;
import java.util.Optional;

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

    /** Bulk writes: binary COPY, and the index built after a large load into an empty collection. */
    Bulk bulk();

    /** Building a collection's HNSW index after a bulk load. */
    IndexBuild indexBuild();

    /** An optional read-only replica (a streaming standby of the primary) for searches and item reads. */
    Replica replica();

    /** Re-embedding collections with another model (migrations). */
    Migration migration();

    /** Migration settings. */
    interface Migration {
        /** Whether this replica runs migrations (any number of replicas may; a job runs on one at a time). */
        @WithDefault("true")
        boolean enabled();

        /** embed-service, which embeds the items again (with the internal token, as the gateway calls it). */
        @WithDefault("http://127.0.0.1:8081")
        String embedUrl();

        /** Time for one call to embed-service. */
        @WithDefault("PT60S")
        Duration embedTimeout();

        /** Items read, embedded and written per batch (one transaction). */
        @WithDefault("32")
        int batchSize();

        /**
         * How long a claimed job stays the worker's without a batch committed; a job whose worker died is taken over
         * after this.
         */
        @WithDefault("PT30S")
        Duration lease();

        /** How often queued jobs and expired leases are looked for. */
        @WithDefault("PT1S")
        Duration pollInterval();

        /** The most items a worker re-embeds per second, so that a migration leaves embed-service to others; 0: no limit. */
        @WithDefault("0")
        double maxItemsPerSecond();
    }

    /** HNSW settings of a collection created without its own (fixed per collection at creation). */
    interface Hnsw {
        /** Neighbours per node (pgvector m). */
        @WithDefault("16")
        int m();

        /**
         * Candidate list size while building (pgvector ef_construction; pgvector's own default is 64). 128: at 200,000
         * of the benchmark's topics vectors, m 16 with 128 gave recall@10 0.936 at ef_search 40 where m 16 with 64
         * gave 0.785 and m 32 with 64 0.849, all three with the same index size (retrieval-service README, Benchmark).
         */
        @WithDefault("128")
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

        /** Collections remembered for searches (0: none; each search then looks its collection up first). */
        @WithDefault("10000")
        int collectionCacheSize();
    }

    /** Near-duplicate detection. */
    Duplicates duplicates();

    /** Near-duplicate detection: the scan of a collection and {@code on_duplicate} at ingest. */
    interface Duplicates {
        /**
         * Cosine similarity from which two items are near-duplicates when a request names none: the best F1 measured
         * with the bundled model, re-encoded, resized and cropped copies against other drawings of the same class
         * (retrieval-service README; ./sightline bench features measures it for another model).
         */
        @WithDefault("0.98")
        double defaultThreshold();

        /** Nearest neighbours a scan looks at per item (links to more distant items are not seen). */
        @WithDefault("10")
        int neighbours();

        /** hnsw.ef_search of the scan's and ingest's neighbour lookups. */
        @WithDefault("40")
        int efSearch();

        /** The longest a duplicate scan may run before PostgreSQL cancels it (503 to the client). */
        @WithDefault("60S")
        java.time.Duration statementTimeout();
    }

    /** Request limits. */
    interface Limits {
        /** Most items one page of an item listing holds ({@code GET /collections/{name}/items?limit=}). */
        @WithDefault("1000")
        int maxListItems();

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

        /** Largest HNSW m a collection may ask for (the index grows with it; pgvector allows 100). */
        @WithDefault("64")
        int maxHnswM();

        /** Largest HNSW ef_construction a collection may ask for (the build time grows with it; pgvector: 1000). */
        @WithDefault("512")
        int maxHnswEfConstruction();

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

        /** Largest kept thumbnail in bytes. */
        @WithDefault("1048576")
        long maxThumbnailBytes();

        /** Largest kept original in bytes (the gateway's largest image). */
        @WithDefault("16777216")
        long maxOriginalBytes();

        /** Most categories of a moderation policy. */
        @WithDefault("16")
        int maxPolicyCategories();

        /** Most prompts, and separately most benign prompts, of one moderation category. */
        @WithDefault("16")
        int maxPolicyPrompts();

        /**
         * Most items a near-duplicate scan ({@code POST /collections/{name}/duplicates}) reads; a larger collection
         * (or modality within it) is answered 413.
         */
        @WithDefault("100000")
        int maxDuplicateScan();
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

    /** Bulk writes. */
    interface Bulk {
        /** Upserts of at least this many items go by binary COPY and one set-based statement, fewer row by row. */
        @WithDefault("64")
        int copyMinItems();

        /**
         * A write of at least this many items into an empty collection drops its HNSW index and leaves it to be built
         * once after the load (much faster than maintaining it row by row); searches meanwhile scan exactly. A bulk
         * request sent with {@code more=true} (a load in several requests) does so whatever its size.
         */
        @WithDefault("10000")
        int deferIndexMinItems();

        /** Most items in one {@code POST /collections/{name}/items/bulk}. */
        @WithDefault("50000")
        int maxItems();

        /**
         * Longest line of an {@code /items/bulk} body in bytes: one item (a 2,000-d vector in 17-digit decimals, the
         * largest metadata and text fit in about 200 KB).
         */
        @WithDefault("1048576")
        int maxLineBytes();

        /** Largest {@code /items/bulk} body in bytes (NDJSON; a 512-d item is about 5.5 KB). */
        @WithDefault("268435456")
        long maxRequestBytes();
    }

    /** The background build of HNSW indexes left out by bulk loads. */
    interface IndexBuild {
        /** A collection whose rows have not changed for this long gets its index built. */
        @WithDefault("2S")
        Duration quietPeriod();

        /**
         * How long a bulk request sent with {@code more=true} holds the collection's deferred index build: the build
         * waits for the load's last request (one without {@code more}) or this long after the last one with it.
         */
        @WithDefault("10M")
        Duration holdTimeout();

        /** How often collections without an index are looked for. */
        @WithDefault("1S")
        Duration checkInterval();

        /**
         * maintenance_work_mem of the build: the HNSW graph should fit (1M 512-d float32 vectors at m=16 take about
         * 2.6 GB; float16 half that), or the build slows down once it spills.
         */
        @WithDefault("1GB")
        String maintenanceWorkMem();

        /** Parallel workers of the build besides the leader (max_parallel_maintenance_workers). */
        @WithDefault("1")
        int parallelWorkers();

        /** How often a running build logs its progress. */
        @WithDefault("10S")
        Duration progressLogInterval();
    }

    /** The read replica. */
    interface Replica {
        /** JDBC URL of the replica (in Kubernetes, the CloudNativePG cluster's -ro service); absent: none. */
        Optional<String> jdbcUrl();

        /** User on the replica; absent: the primary's (quarkus.datasource.username). */
        Optional<String> username();

        /** Password on the replica; absent: the primary's. */
        Optional<String> password();

        /** Connections to the replica. */
        @WithDefault("16")
        int maxConnections();

        /**
         * How long a read waits for the replica to replay past the same tenant's last write before it reads the
         * primary instead (read-your-writes).
         */
        @WithDefault("0.25S")
        Duration maxWaitForOwnWrites();

        /** After the replica failed, how long every read goes to the primary before the replica is tried again. */
        @WithDefault("5S")
        Duration retryAfter();

        /** Connecting to the replica gives up after this long (then the read goes to the primary). */
        @WithDefault("2S")
        Duration connectTimeout();
    }
}
