package dev.sightline.embed.classify;

import java.util.LinkedHashMap;
import java.util.Map;

/** A bounded least-recently-used cache of label prompt embeddings. */
final class PromptCache {

    private final Map<PromptKey, float[]> map;

    PromptCache(int capacity) {
        this.map = new LinkedHashMap<>(256, 0.75f, true) {
            @Override
            protected boolean removeEldestEntry(Map.Entry<PromptKey, float[]> eldest) {
                return size() > capacity;
            }
        };
    }

    synchronized float[] get(PromptKey key) {
        return map.get(key);
    }

    synchronized void put(PromptKey key, float[] value) {
        map.put(key, value);
    }

    synchronized int size() {
        return map.size();
    }
}
