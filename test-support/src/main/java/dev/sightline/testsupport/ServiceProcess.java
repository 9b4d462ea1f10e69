package dev.sightline.testsupport;

import java.io.IOException;
import java.net.ServerSocket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;

/**
 * A service running as a child JVM (normally a module's packaged jar), for tests and benchmarks that need the real
 * process: started on a port, awaited until ready, stopped gracefully or killed.
 *
 * <pre>
 * try (ServiceProcess retrieval = ServiceProcess.start(ServiceLaunch.module(root, "retrieval-service")
 *         .withProperty("quarkus.datasource.jdbc.url", url))) {
 *     retrieval.awaitReady(Duration.ofMinutes(2));
 *     ... retrieval.url() ...
 * }
 * </pre>
 */
public final class ServiceProcess implements AutoCloseable {

    /** How long {@link #stop()} waits for a graceful exit before it kills. */
    public static final Duration STOP_GRACE = Duration.ofSeconds(15);
    /** A killed process is gone at once; waiting longer means something is wrong with the machine. */
    private static final Duration KILL_WAIT = Duration.ofSeconds(10);
    private static final long POLL_MILLIS = 10;
    private static final int TAIL_LINES = 40;
    private static final HttpClient HTTP = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1)
            .connectTimeout(Duration.ofSeconds(5)).build();
    private static final Path JAVA = Path.of(System.getProperty("java.home"), "bin", "java");

    /**
     * Child processes outlive the JVM that started them: when that JVM ends without stopping them (^C, a crashed
     * test run), this asks every one still running to stop, so that no service keeps its port and database.
     */
    private static final Set<Process> RUNNING = ConcurrentHashMap.newKeySet();

    static {
        Runtime.getRuntime().addShutdownHook(new Thread(() -> RUNNING.forEach(Process::destroy), "service-processes"));
    }

    private final String name;
    private final Process process;
    private final int port;
    private final Path log;
    private final List<String> command;

    private ServiceProcess(String name, Process process, int port, Path log, List<String> command) {
        this.name = name;
        this.process = process;
        this.port = port;
        this.log = log;
        this.command = command;
    }

    /**
     * Starts the process with the JVM running this code: {@code java -Dquarkus.http.port=PORT
     * -Dquarkus.http.host=127.0.0.1 OPTIONS... PROGRAM}.
     * Returns at once; {@link #awaitReady} waits for it.
     */
    public static ServiceProcess start(ServiceLaunch launch) throws IOException {
        int port = launch.port() > 0 ? launch.port() : freePort();
        Path log = launch.log() != null ? launch.log().toAbsolutePath()
                : Files.createTempFile("sightline-" + launch.name() + "-", ".log");
        Files.createDirectories(log.getParent());
        // Loopback unless the launch says otherwise: these processes hold the public test token.
        List<String> command = new ArrayList<>(List.of(JAVA.toString(), "-Dquarkus.http.port=" + port,
                "-Dquarkus.http.host=127.0.0.1"));
        command.addAll(launch.jvmOptions());
        command.addAll(launch.program());
        Process process = new ProcessBuilder(command).redirectErrorStream(true).redirectOutput(log.toFile()).start();
        RUNNING.add(process);
        process.onExit().thenRun(() -> RUNNING.remove(process));
        return new ServiceProcess(launch.name(), process, port, log, List.copyOf(command));
    }

    /** Waits until {@code GET /q/health/ready} answers 200. */
    public ServiceProcess awaitReady(Duration timeout) throws InterruptedException {
        HttpRequest ready = HttpRequest.newBuilder(URI.create(url() + "/q/health/ready"))
                .timeout(Duration.ofSeconds(5)).build();
        return awaitReady(timeout, () -> HTTP.send(ready, HttpResponse.BodyHandlers.discarding()).statusCode() == 200);
    }

    /**
     * Polls the probe until it says ready. Fails at once, with the end of the log, when the process exits, and
     * with the same when the timeout passes. An {@link IOException} of the probe counts as not ready (not
     * listening yet).
     */
    public ServiceProcess awaitReady(Duration timeout, Probe probe) throws InterruptedException {
        long deadline = System.nanoTime() + timeout.toNanos();
        while (true) {
            if (!process.isAlive()) {
                throw new IllegalStateException(name + " exited with " + process.exitValue()
                        + " before it was ready; the end of " + log + ":\n" + logTail());
            }
            try {
                if (probe.ready()) {
                    return this;
                }
            } catch (IOException e) {
                // not listening yet
            }
            if (System.nanoTime() - deadline >= 0) {
                throw new IllegalStateException(name + " on port " + port + " not ready after " + timeout.toMillis()
                        + " ms; the end of " + log + ":\n" + logTail());
            }
            Thread.sleep(POLL_MILLIS);
        }
    }

    /** Stops gracefully (SIGTERM, shutdown hooks run), killing after {@link #STOP_GRACE}; the exit status. */
    public int stop() {
        return stop(STOP_GRACE);
    }

    /** Stops gracefully (SIGTERM), killing (SIGKILL) when the process is still there after {@code grace}. */
    public int stop(Duration grace) {
        process.destroy();
        if (!exitsWithin(grace)) {
            return kill();
        }
        return process.exitValue();
    }

    /** SIGKILL: the process gets no chance to flush or clean up, as in a crash; the exit status (137). */
    public int kill() {
        process.destroyForcibly();
        if (!exitsWithin(KILL_WAIT)) {
            throw new IllegalStateException(name + " (pid " + process.pid() + ") still runs " + KILL_WAIT.toSeconds()
                    + " s after SIGKILL");
        }
        return process.exitValue();
    }

    /** Stops the process if it still runs; safe to call again. */
    @Override
    public void close() {
        if (process.isAlive()) {
            stop();
        }
    }

    public String name() {
        return name;
    }

    public int port() {
        return port;
    }

    /** {@code http://127.0.0.1:PORT}. */
    public String url() {
        return "http://127.0.0.1:" + port;
    }

    public long pid() {
        return process.pid();
    }

    public boolean isAlive() {
        return process.isAlive();
    }

    /** The file holding the process's stdout and stderr. */
    public Path log() {
        return log;
    }

    /** The command line it was started with. */
    public List<String> command() {
        return command;
    }

    /** The last lines of the log (as much as was written so far). */
    public String logTail() {
        try {
            List<String> lines = Arrays.asList(new String(Files.readAllBytes(log), StandardCharsets.UTF_8).split("\n"));
            return String.join("\n", lines.subList(Math.max(0, lines.size() - TAIL_LINES), lines.size()));
        } catch (IOException e) {
            return "(cannot read " + log + ": " + e.getMessage() + ")";
        }
    }

    /** A port nothing listens on right now (the OS's choice of an ephemeral port). */
    public static int freePort() throws IOException {
        try (ServerSocket socket = new ServerSocket(0)) {
            return socket.getLocalPort();
        }
    }

    /** Whether the service is ready; an {@link IOException} means not yet. */
    @FunctionalInterface
    public interface Probe {
        boolean ready() throws IOException, InterruptedException;
    }

    /** Waits up to the duration; an interrupt does not cut the wait short, since a service left running is worse. */
    private boolean exitsWithin(Duration wait) {
        long deadline = System.nanoTime() + wait.toNanos();
        boolean interrupted = false;
        try {
            while (true) {
                try {
                    return process.waitFor(Math.max(0, deadline - System.nanoTime()), TimeUnit.NANOSECONDS);
                } catch (InterruptedException e) {
                    interrupted = true;
                }
            }
        } finally {
            if (interrupted) {
                Thread.currentThread().interrupt();
            }
        }
    }
}
