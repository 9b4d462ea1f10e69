package dev.sightline.embed.bench;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Load from wrk, a C client, so the measured service is not competing with a JVM load generator's own costs: POSTs one
 * JSON body over and over on {@code concurrency} keep-alive connections and reads throughput and latency percentiles
 * from wrk's report.
 */
final class Wrk {

    private static final String SCRIPT = """
            local f = assert(io.open(os.getenv("WRK_BODY"), "rb"))
            wrk.method = "POST"
            wrk.body = f:read("*a")
            f:close()
            wrk.headers["Content-Type"] = "application/json"
            wrk.headers["Authorization"] = os.getenv("WRK_AUTH")
            """;
    private static final Pattern RATE = Pattern.compile("Requests/sec:\\s+([0-9.]+)");
    private static final Pattern TOTAL = Pattern.compile("([0-9]+) requests in ([0-9.]+)(m?s|m)");
    private static final Pattern NON_2XX = Pattern.compile("Non-2xx or 3xx responses: ([0-9]+)");
    private static final Pattern ERRORS = Pattern.compile("Socket errors: connect ([0-9]+), read ([0-9]+), write ([0-9]+), timeout ([0-9]+)");

    private final Path script;
    private final String authorization;

    Wrk(Path workDir, String authorization) throws IOException {
        Files.createDirectories(workDir);
        this.script = workDir.resolve("post.lua");
        Files.writeString(script, SCRIPT);
        this.authorization = authorization;
    }

    /** wrk's answer for one point. */
    record Run(double requestsPerSecond, long requests, double p50Ms, double p99Ms, long failed) {
    }

    /** A wrk run in progress. */
    record Running(Process process) {
        Run await() throws IOException, InterruptedException {
            String out = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
            if (process.waitFor() != 0) {
                throw new IOException("wrk failed: " + out);
            }
            return parse(out);
        }
    }

    Run post(String url, Path body, int concurrency, double seconds) throws IOException, InterruptedException {
        return start(url, body, concurrency, seconds).await();
    }

    Running start(String url, Path body, int concurrency, double seconds) throws IOException {
        int threads = Math.min(concurrency, 2);
        List<String> cmd = new ArrayList<>(List.of("wrk", "-t", Integer.toString(threads), "-c", Integer.toString(concurrency),
                "-d", Math.max(1, Math.round(seconds)) + "s", "--timeout", "30s", "--latency", "-s", script.toString(), url));
        ProcessBuilder pb = new ProcessBuilder(cmd).redirectErrorStream(true);
        pb.environment().put("WRK_BODY", body.toString());
        pb.environment().put("WRK_AUTH", authorization);
        return new Running(pb.start());
    }

    static Run parse(String out) {
        Matcher rate = RATE.matcher(out);
        Matcher total = TOTAL.matcher(out);
        if (!rate.find() || !total.find()) {
            throw new IllegalStateException("unreadable wrk report: " + out);
        }
        long failed = 0;
        Matcher non2xx = NON_2XX.matcher(out);
        if (non2xx.find()) {
            failed += Long.parseLong(non2xx.group(1));
        }
        Matcher errors = ERRORS.matcher(out);
        if (errors.find()) {
            for (int g = 1; g <= 4; g++) {
                failed += Long.parseLong(errors.group(g));
            }
        }
        return new Run(Double.parseDouble(rate.group(1)), Long.parseLong(total.group(1)), percentile(out, "50"),
                percentile(out, "99"), failed);
    }

    /** A line of wrk's latency distribution, e.g. {@code 99%  123.45ms}, in milliseconds. */
    private static double percentile(String out, String pct) {
        Matcher m = Pattern.compile("\\n\\s+" + pct + "%\\s+([0-9.]+)(us|ms|s|m)").matcher(out);
        if (!m.find()) {
            return Double.NaN;
        }
        double v = Double.parseDouble(m.group(1));
        return switch (m.group(2)) {
            case "us" -> v / 1000;
            case "ms" -> v;
            case "s" -> v * 1000;
            default -> v * 60_000;
        };
    }
}
