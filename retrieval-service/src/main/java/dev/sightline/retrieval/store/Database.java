package dev.sightline.retrieval.store;

import dev.sightline.common.problem.CommonProblem;
import dev.sightline.common.problem.ProblemException;
import io.agroal.api.AgroalDataSource;
import jakarta.enterprise.context.ApplicationScoped;
import java.sql.Connection;
import java.sql.SQLException;
import java.util.Optional;
import org.jboss.logging.Logger;

/** Runs units of work in one transaction and turns database failures into {@link ProblemException}s. */
@ApplicationScoped
public class Database {

    private static final Logger LOG = Logger.getLogger(Database.class);

    private final AgroalDataSource dataSource;
    private final ReadReplica replica;

    public Database(AgroalDataSource dataSource, ReadReplica replica) {
        this.dataSource = dataSource;
        this.replica = replica;
    }

    /** Work on a connection. */
    @FunctionalInterface
    public interface Work<T> {
        T run(Connection c) throws SQLException;
    }

    /** Runs the work in a transaction, committed before this returns (so an acknowledged write is durable). */
    public <T> T inTransaction(Work<T> work) {
        try (Connection c = dataSource.getConnection()) {
            return committed(c, work);
        } catch (SQLException e) {
            throw translate(e);
        }
    }

    private static <T> T committed(Connection c, Work<T> work) throws SQLException {
        c.setAutoCommit(false);
        try {
            T result = work.run(c);
            c.commit();
            return result;
        } catch (SQLException | RuntimeException e) {
            rollback(c);
            throw e;
        }
    }

    /**
     * A tenant's write: {@link #inTransaction}, then (with a read replica) the primary's WAL position is remembered,
     * so that the tenant's next reads see this write ({@link ReadReplica}).
     */
    public <T> T write(String tenant, Work<T> work) {
        try (Connection c = dataSource.getConnection()) {
            T result = committed(c, work);
            if (replica.configured()) {
                c.setAutoCommit(true);
                replica.wrote(tenant, c);
            }
            return result;
        } catch (SQLException e) {
            throw translate(e);
        }
    }

    /**
     * A tenant's read in autocommit mode: on the read replica when there is one, it is up and it has replayed the
     * tenant's last write; else, or when the replica fails during the read, on the primary.
     */
    public <T> T read(String tenant, Work<T> work) {
        Optional<Connection> onReplica = replica.connectionFor(tenant);
        if (onReplica.isPresent()) {
            try (Connection c = onReplica.get()) {
                return work.run(c);
            } catch (SQLException e) {
                if (!ReadReplica.unreachable(e)) {
                    throw translate(e);
                }
                replica.failed(e);
            }
        }
        return autocommit(work);
    }

    /**
     * Runs the work on a connection in autocommit mode, for statements that cannot run inside a transaction block
     * (DETACH PARTITION … CONCURRENTLY). Session settings the work makes must be reset by the work itself: the
     * connection goes back to the pool.
     */
    public <T> T autocommit(Work<T> work) {
        try (Connection c = dataSource.getConnection()) {
            c.setAutoCommit(true);
            return work.run(c);
        } catch (SQLException e) {
            throw translate(e);
        }
    }

    private static void rollback(Connection c) {
        try {
            c.rollback();
        } catch (SQLException e) {
            LOG.debug("rollback failed", e);
        }
    }

    /**
     * The problem to answer for a database error. Values are validated before they reach SQL; when one still gets
     * through, PostgreSQL's refusal of it (a data exception, a constraint violation, a program limit) is the
     * sender's problem, a 4xx that names no SQL, and never a 500 that a caller would count as an outage.
     */
    static ProblemException translate(SQLException e) {
        String state = e.getSQLState() == null ? "" : e.getSQLState();
        if (state.startsWith("08") || state.equals("57P01") || state.equals("57P03")
                || e.getMessage() != null && e.getMessage().contains("Acquisition timeout")) {
            LOG.warnf("database unavailable: %s", e.getMessage());
            return new ProblemException(CommonProblem.UNAVAILABLE, "The database is unavailable; retry later.", e);
        }
        if (state.startsWith("40") || state.equals("55P03") || state.equals("57014")) {
            // Deadlock, serialization failure, lock not available, statement timeout: the same request can succeed.
            LOG.warnf("database transiently refused (%s): %s", state, e.getMessage());
            return new ProblemException(CommonProblem.UNAVAILABLE, "The database is busy; retry later.", e);
        }
        if (state.equals("23505") || state.equals("23P01")) {
            LOG.infof("database refused a duplicate (%s): %s", state, e.getMessage());
            return new ProblemException(CommonProblem.CONFLICT,
                    "The request conflicts with a concurrent change; read the current state and retry.");
        }
        if (state.startsWith("22") || state.startsWith("23")) {
            LOG.warnf("database refused a value (%s): %s", state, e.getMessage());
            return new ProblemException(CommonProblem.INVALID_REQUEST,
                    "The request contains a value that cannot be stored or compared.");
        }
        if (state.startsWith("54")) {
            LOG.warnf("database limit exceeded (%s): %s", state, e.getMessage());
            return new ProblemException(CommonProblem.PAYLOAD_TOO_LARGE,
                    "The request is too large or too deeply nested to be processed.");
        }
        LOG.errorf(e, "database error %s", state);
        return new ProblemException(CommonProblem.INTERNAL, "The request could not be processed.", e);
    }
}
