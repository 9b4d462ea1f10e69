package dev.sightline.testsupport;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * How to start one service process: what the JVM runs (a packaged jar, or a main class for the tests of this
 * module), on which port, with which JVM options, and where its output goes.
 *
 * @param name the service's name in messages
 * @param program what follows the JVM options on the command line: {@code -jar JAR} or {@code -cp PATH CLASS}
 * @param port the HTTP port ({@code quarkus.http.port}); 0 picks a free one at start
 * @param jvmOptions options and system properties, in order, before the program
 * @param log where stdout and stderr go; null writes them to a new temporary file
 */
public record ServiceLaunch(String name, List<String> program, int port, List<String> jvmOptions, Path log) {

    public ServiceLaunch {
        program = List.copyOf(program);
        jvmOptions = List.copyOf(jvmOptions);
    }

    /** A module's packaged fast-jar, {@code ROOT/MODULE/target/quarkus-app/quarkus-run.jar}, named after the module. */
    public static ServiceLaunch module(Path root, String module) {
        return jar(module, root.resolve(module).resolve("target/quarkus-app/quarkus-run.jar"));
    }

    /** A runnable jar; it must exist now, so that a missing build fails before anything is started. */
    public static ServiceLaunch jar(String name, Path jar) {
        Path absolute = jar.toAbsolutePath().normalize();
        if (!Files.isRegularFile(absolute)) {
            throw new IllegalStateException(absolute + " is missing: package it first "
                    + "(./mvnw -B -q install -DskipTests from the repository root)");
        }
        // Every service needs the internal token to start; tests and benchmarks use the public test one.
        return new ServiceLaunch(name, List.of("-jar", absolute.toString()), 0,
                List.of("-Dsightline.internal.token=" + TestCredential.TOKEN), null);
    }

    /** A main class on a class path. */
    public static ServiceLaunch mainClass(String name, Path classPath, String mainClass) {
        return new ServiceLaunch(name, List.of("-cp", classPath.toString(), mainClass), 0, List.of(), null);
    }

    public ServiceLaunch onPort(int newPort) {
        return new ServiceLaunch(name, program, newPort, jvmOptions, log);
    }

    /** Adds {@code -Dkey=value}. */
    public ServiceLaunch withProperty(String key, String value) {
        return withJvmOptions(List.of("-D" + key + "=" + value));
    }

    /** Adds JVM options after those already set. */
    public ServiceLaunch withJvmOptions(List<String> options) {
        List<String> all = new ArrayList<>(jvmOptions);
        all.addAll(options);
        return new ServiceLaunch(name, program, port, all, log);
    }

    public ServiceLaunch loggingTo(Path file) {
        return new ServiceLaunch(name, program, port, jvmOptions, file);
    }
}
