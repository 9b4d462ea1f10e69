package dev.sightline.retrieval.store;

import dev.sightline.retrieval.config.RetrievalConfig;
import io.agroal.api.AgroalDataSource;
import io.agroal.api.configuration.supplier.AgroalDataSourceConfigurationSupplier;
import io.agroal.api.security.NamePrincipal;
import io.agroal.api.security.SimplePassword;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import io.quarkus.runtime.ShutdownEvent;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Duration;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import org.eclipse.microprofile.config.inject.ConfigProperty;
import org.jboss.logging.Logger;

/**
 * The optional read replica and read-your-writes across it.
 *
 * <p>Every write remembers, per tenant, the primary's WAL position after its commit; a read of that tenant goes to
 * the replica only once the replica has replayed past it (checked, and waited for up to {@code
 * replica.max-wait-for-own-writes}, on the replica connection the read then uses), else to the primary. Once seen
 * replayed, the position is forgotten, so the steady state costs no check. A replica that fails (down, restarting,
 * unreachable) sends every read to the primary for {@code replica.retry-after}. The positions live in this process:
 * a tenant whose writes and reads reach different replicas of the service gets read-your-writes bounded by the
 * replica's lag, not exact.
 */
@ApplicationScoped
public class ReadReplica {

    private static final Logger LOG = Logger.getLogger(ReadReplica.class);

    private final RetrievalConfig.Replica config;
    private final AgroalDataSource pool;
    private final ConcurrentHashMap<String, String> unseenWrites = new ConcurrentHashMap<>();
    private final Counter toReplica;
    private final Counter toPrimary;
    private final Counter fallbacks;
    private volatile long downUntil;

    public ReadReplica(RetrievalConfig config, MeterRegistry registry,
            @ConfigProperty(name = "quarkus.datasource.username") String primaryUser,
            @ConfigProperty(name = "quarkus.datasource.password") Optional<String> primaryPassword) {
        this.config = config.replica();
        this.pool = this.config.jdbcUrl().map(url -> open(url, this.config.username().orElse(primaryUser),
                this.config.password().or(() -> primaryPassword).orElse(""))).orElse(null);
        this.toReplica = reads(registry, "replica");
        this.toPrimary = reads(registry, "primary");
        this.fallbacks = Counter.builder("sightline_retrieval_replica_fallbacks_total")
                .description("Reads sent to the primary because the replica failed or lagged behind the tenant's write")
                .register(registry);
    }

    private static Counter reads(MeterRegistry registry, String target) {
        return Counter.builder("sightline_retrieval_reads_total").tag("target", target)
                .description("Searches and item reads by the database that answered them").register(registry);
    }

    private AgroalDataSource open(String url, String user, String password) {
        try {
            return AgroalDataSource.from(new AgroalDataSourceConfigurationSupplier().connectionPoolConfiguration(
                    cp -> cp.maxSize(config.maxConnections()).acquisitionTimeout(config.connectTimeout())
                            .idleValidationTimeout(Duration.ofSeconds(10))
                            .connectionFactoryConfiguration(cf -> cf.jdbcUrl(url).principal(new NamePrincipal(user))
                                    .credential(new SimplePassword(password))
                                    .loginTimeout(config.connectTimeout())
                                    .jdbcProperty("connectTimeout", Long.toString(
                                            Math.max(1, config.connectTimeout().toSeconds())))
                                    .jdbcProperty("ApplicationName", "retrieval-service (replica reads)"))));
        } catch (SQLException e) {
            throw new IllegalStateException("cannot configure the replica datasource " + url, e);
        }
    }

    void close(@Observes ShutdownEvent e) {
        if (pool != null) {
            pool.close();
        }
    }

    public boolean configured() {
        return pool != null;
    }

    /** After a committed write of the tenant, on its (autocommit) primary connection: remembers the WAL position. */
    void wrote(String tenant, Connection primary) {
        if (pool == null) {
            return;
        }
        try (PreparedStatement ps = primary.prepareStatement("SELECT pg_current_wal_lsn()::text");
                ResultSet rs = ps.executeQuery()) {
            rs.next();
            unseenWrites.put(tenant, rs.getString(1));
        } catch (SQLException e) {
            // The write is committed; without its position this tenant's reads go to the primary for a while.
            LOG.warnf("WAL position after a write of %s unknown (%s); its reads go to the primary", tenant,
                    e.getMessage());
            unseenWrites.put(tenant, "FFFFFFFF/FFFFFFFF");
        }
    }

    /**
     * A replica connection for the tenant's read, or empty for the primary: no replica, the replica down, or not yet
     * replayed past the tenant's last write within the wait.
     */
    Optional<Connection> connectionFor(String tenant) {
        if (pool == null) {
            return Optional.empty();
        }
        if (System.nanoTime() < downUntil) {
            toPrimary.increment();
            return Optional.empty();
        }
        Connection c = null;
        try {
            c = pool.getConnection();
            c.setAutoCommit(true);
            String lsn = unseenWrites.get(tenant);
            if (lsn != null && !replayedPast(c, lsn)) {
                c.close();
                fallbacks.increment();
                toPrimary.increment();
                return Optional.empty();
            }
            if (lsn != null) {
                unseenWrites.remove(tenant, lsn);
            }
            toReplica.increment();
            return Optional.of(c);
        } catch (SQLException e) {
            closeQuietly(c);
            failed(e);
            toPrimary.increment();
            return Optional.empty();
        }
    }

    /** Polls the replica's replay position until it passes {@code lsn} or the wait is over. */
    private boolean replayedPast(Connection c, String lsn) throws SQLException {
        long deadline = System.nanoTime() + config.maxWaitForOwnWrites().toNanos();
        try (PreparedStatement ps = c.prepareStatement(
                "SELECT coalesce(pg_last_wal_replay_lsn() >= ?::pg_lsn, true)")) {
            ps.setString(1, lsn);
            while (true) {
                try (ResultSet rs = ps.executeQuery()) {
                    rs.next();
                    if (rs.getBoolean(1)) {
                        return true;
                    }
                }
                if (System.nanoTime() >= deadline) {
                    return false;
                }
                try {
                    Thread.sleep(5);
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                    return false;
                }
            }
        }
    }

    /** Whether a failure on a replica connection means the replica is unreachable (then the primary answers). */
    static boolean unreachable(SQLException e) {
        String state = e.getSQLState() == null ? "" : e.getSQLState();
        return state.startsWith("08") || state.equals("57P01") || state.equals("57P02") || state.equals("57P03")
                || e.getMessage() != null && e.getMessage().contains("Acquisition timeout");
    }

    /** The replica failed: reads go to the primary for retry-after, and its pooled connections are discarded. */
    void failed(SQLException e) {
        downUntil = System.nanoTime() + config.retryAfter().toNanos();
        fallbacks.increment();
        LOG.warnf("read replica unavailable (%s); reads go to the primary for %s", e.getMessage(), config.retryAfter());
        try {
            pool.flush(AgroalDataSource.FlushMode.ALL);
        } catch (RuntimeException ignored) {
            // flushing a pool whose server is gone
        }
    }

    private static void closeQuietly(Connection c) {
        if (c != null) {
            try {
                c.close();
            } catch (SQLException ignored) {
                // broken connection
            }
        }
    }
}
