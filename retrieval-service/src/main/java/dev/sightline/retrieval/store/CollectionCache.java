package dev.sightline.retrieval.store;

import dev.sightline.retrieval.Collection;
import dev.sightline.retrieval.config.RetrievalConfig;
import jakarta.enterprise.context.ApplicationScoped;
import java.util.Iterator;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Collections by tenant and name, remembered between searches so that a search needs no lookup round trip.
 *
 * <p>An entry is only ever a hint: every search statement also checks, in the same statement, that the collection's
 * row still exists ({@link SearchSql}), and ids are never reused, so an entry made stale by a delete here or on
 * another replica, or by a delete and re-create, returns no rows, never another collection's; a search that returns
 * fewer rows than asked confirms the collection uncached ({@link ItemStore#search}). Lookups are keyed by the tenant
 * as well as the name: one tenant's entry is unreachable from another.
 */
@ApplicationScoped
public class CollectionCache {

    private record Key(String tenant, String name) {
    }

    private final ConcurrentHashMap<Key, Collection> entries = new ConcurrentHashMap<>();
    private final int capacity;

    public CollectionCache(RetrievalConfig config) {
        this.capacity = config.search().collectionCacheSize();
    }

    Optional<Collection> get(String tenant, String name) {
        return Optional.ofNullable(entries.get(new Key(tenant, name)));
    }

    void put(Collection c) {
        if (capacity <= 0) {
            return;
        }
        if (entries.size() >= capacity) {
            // Full: drop an arbitrary entry; a miss costs one lookup, so no recency bookkeeping on the hot path.
            Iterator<Key> it = entries.keySet().iterator();
            if (it.hasNext()) {
                entries.remove(it.next());
            }
        }
        entries.put(new Key(c.tenant(), c.name()), c);
    }

    void evict(String tenant, String name) {
        entries.remove(new Key(tenant, name));
    }

    int size() {
        return entries.size();
    }
}
