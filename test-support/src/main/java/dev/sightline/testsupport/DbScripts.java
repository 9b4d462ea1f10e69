package dev.sightline.testsupport;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/** Runs the project's db/ scripts (start, stop, replica ...) from a test, with their output in a log file. */
public final class DbScripts {

    /** The repository root: {@code sightline.root}, else the parent of the module folder tests run in. */
    public static final Path ROOT = Path.of(System.getProperty("sightline.root", "..")).toAbsolutePath().normalize();

    private DbScripts() {
    }

    /** Runs {@code db/SCRIPT ARGS...}, its output appended to {@code log}; throws unless it exits 0. */
    public static void run(Path log, String... script) throws IOException, InterruptedException {
        List<String> cmd = new ArrayList<>(List.of(ROOT.resolve("db").resolve(script[0]).toString()));
        cmd.addAll(Arrays.asList(script).subList(1, script.length));
        Files.createDirectories(log.toAbsolutePath().getParent());
        Process p = new ProcessBuilder(cmd).redirectErrorStream(true)
                .redirectOutput(ProcessBuilder.Redirect.appendTo(log.toFile())).start();
        if (p.waitFor() != 0) {
            throw new IllegalStateException("db/" + String.join(" ", script) + " failed; see " + log);
        }
    }
}
