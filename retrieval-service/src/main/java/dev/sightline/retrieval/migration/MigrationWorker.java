package dev.sightline.retrieval.migration;

import dev.sightline.common.internal.InternalConfig;
import dev.sightline.common.internal.InternalToken;
import dev.sightline.retrieval.Migration;
import dev.sightline.retrieval.SourceItem;
import dev.sightline.retrieval.config.RetrievalConfig;
import dev.sightline.retrieval.store.MigrationStore;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import io.quarkus.runtime.ShutdownEvent;
import io.quarkus.runtime.StartupEvent;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import java.io.IOException;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import java.util.UUID;
import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import org.jboss.logging.Logger;

/**
 * Runs migrations, one at a time per replica: claims a job (queued, or running with an expired lease: its worker
 * died), copies the live items into the shadow in batches (read, embed with the new model, write with the cursor
 * in one transaction that checks the lease), then copies again what was written meanwhile, then switches. A
 * killed process leaves a committed cursor and a lease that runs out; the next claim resumes there.
 */
@ApplicationScoped
public class MigrationWorker {

    private static final Logger LOG = Logger.getLogger(MigrationWorker.class);

    private final MigrationStore store;
    private final RetrievalConfig.Migration config;
    private final EmbedCalls embed;
    private final String worker = "retrieval-" + ProcessHandle.current().pid() + "-" + UUID.randomUUID();
    private final Semaphore wakeUp = new Semaphore(0);
    private final Counter scanned;
    private final Counter refreshed;
    private final AtomicLong running = new AtomicLong();
    private volatile Thread thread;
    private volatile boolean stopping;

    public MigrationWorker(MigrationStore store, RetrievalConfig config, InternalConfig internal, MeterRegistry meters) {
        this.store = store;
        this.config = config.migration();
        this.embed = new EmbedCalls(this.config.embedUrl(), new InternalToken(internal.token()),
                this.config.embedTimeout());
        this.scanned = Counter.builder("sightline.retrieval.migration.items").tag("phase", "scan")
                .description("Items embedded again and copied by migrations").register(meters);
        this.refreshed = Counter.builder("sightline.retrieval.migration.items").tag("phase", "written-meanwhile")
                .description("Items embedded again and copied by migrations").register(meters);
        meters.gauge("sightline.retrieval.migration.running", running);
    }

    void onStart(@Observes StartupEvent event) {
        if (!config.enabled()) {
            return;
        }
        thread = new Thread(this::loop, "migration-worker");
        thread.setDaemon(true);
        thread.start();
    }

    void onStop(@Observes ShutdownEvent event) {
        stopping = true;
        Thread t = thread;
        if (t != null) {
            t.interrupt();
        }
    }

    /** Looks for a job now rather than at the next poll (a migration was just started). */
    public void wake() {
        wakeUp.release();
    }

    private void loop() {
        while (!stopping) {
            try {
                Optional<Migration> job = store.claim(worker, config.lease());
                if (job.isPresent()) {
                    running.incrementAndGet();
                    try {
                        run(job.get());
                    } finally {
                        running.decrementAndGet();
                    }
                    continue;
                }
                wakeUp.tryAcquire(config.pollInterval().toMillis(), TimeUnit.MILLISECONDS);
                wakeUp.drainPermits();
            } catch (InterruptedException e) {
                return;
            } catch (RuntimeException e) {
                LOG.warnf("migration worker: %s; trying again shortly", e.getMessage());
                sleep(config.pollInterval());
            }
        }
    }

    private void run(Migration claimed) throws InterruptedException {
        LOG.infof("migration %s of %s/%s to %s: claimed (%d of %d copied)", claimed.id(), claimed.tenant(),
                claimed.collection(), claimed.model(), claimed.done(), claimed.total());
        Migration m = claimed;
        int batch = config.batchSize();
        while (!stopping) {
            long started = System.nanoTime();
            boolean held;
            int items;
            try {
                if (!m.scanned()) {
                    List<SourceItem> next = store.nextItems(m, batch);
                    held = store.copy(m, worker, config.lease(), next, embed.embed(m.model(), next),
                            next.size() < batch);
                    items = next.size();
                    scanned.increment(items);
                } else {
                    List<SourceItem> dirty = store.dirtyItems(m, batch);
                    if (dirty.isEmpty()) {
                        if (store.trySwitch(m, worker, config.lease())) {
                            LOG.infof("migration %s: %s/%s switched to %s", m.id(), m.tenant(), m.collection(),
                                    m.model());
                            return;
                        }
                        // Written meanwhile (copied next), or no longer this worker's (seen at the next write).
                        held = true;
                        items = 0;
                        sleep(Duration.ofMillis(50));
                    } else {
                        List<SourceItem> present = dirty.stream().filter(it -> it.modality() != null).toList();
                        List<float[]> vectors = embed.embed(m.model(), dirty);
                        held = store.refresh(m, worker, config.lease(), dirty, vectors);
                        items = present.size();
                        refreshed.increment(items);
                    }
                }
            } catch (EmbedCalls.Refused e) {
                LOG.warnf("migration %s failed: %s", m.id(), e.getMessage());
                store.fail(m, worker, e.getMessage());
                return;
            } catch (IOException | RuntimeException e) {
                // embed-service or the database unavailable for a moment: the same batch again after a pause (the
                // lease runs out if this lasts, and the job passes to whoever claims it then).
                LOG.warnf("migration %s: %s; retrying", m.id(), e.getMessage());
                sleep(config.pollInterval());
                continue;
            }
            if (!held) {
                LOG.infof("migration %s: no longer this worker's (cancelled, or its lease passed on)", m.id());
                return;
            }
            Optional<Migration> now = store.reload(m);
            if (now.isEmpty() || !"running".equals(now.get().state())) {
                return;
            }
            m = now.get();
            throttle(items, started);
        }
    }

    /** Keeps to migration.max-items-per-second. */
    private void throttle(int items, long startedNanos) throws InterruptedException {
        double rate = config.maxItemsPerSecond();
        if (rate <= 0 || items == 0) {
            return;
        }
        long due = startedNanos + (long) (items / rate * 1e9);
        long wait = due - System.nanoTime();
        if (wait > 0) {
            TimeUnit.NANOSECONDS.sleep(wait);
        }
    }

    private static void sleep(Duration d) {
        try {
            Thread.sleep(d.toMillis());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
