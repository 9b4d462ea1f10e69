package dev.sightline.retrieval.store;

/** Names of a collection's partition and HNSW index, derived from its server-generated id only. */
public final class Partitions {

    private Partitions() {
    }

    public static String table(long collectionId) {
        return "items_c" + collectionId;
    }

    public static String index(long collectionId) {
        return "items_c" + collectionId + "_hnsw";
    }
}
