package dev.sightline.gateway.bench;

import dev.sightline.testsupport.TestCredential;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicReference;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The one HTTP client of both sides (HTTP/1.1, keep-alive), so that neither gets a better connection than the
 * other; it also keeps the first error seen, for the report.
 */
final class BenchClient {

    private static final Pattern ID = Pattern.compile("\"id\"\\s*:\\s*\"([^\"]*)\"");

    private final HttpClient http = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1)
            .connectTimeout(Duration.ofSeconds(5)).build();
    private final AtomicReference<String> firstError = new AtomicReference<>();

    static HttpRequest json(String url, String body, String tenant, String key, String method) {
        HttpRequest.Builder b = HttpRequest.newBuilder(URI.create(url)).timeout(Duration.ofSeconds(30));
        if (body != null) {
            b.header("Content-Type", "application/json");
        }
        if (tenant != null) {
            b.header("X-Sightline-Tenant", tenant);
        }
        // A public call carries an API key; a direct call to an internal service carries the internal token.
        b.header("Authorization", key != null ? "Bearer " + key : TestCredential.AUTHORIZATION);
        return b.method(method, body == null ? HttpRequest.BodyPublishers.noBody() : HttpRequest.BodyPublishers.ofString(body))
                .build();
    }

    /** A search of the benchmark's tenant straight at retrieval-service. */
    static HttpRequest directSearch(URI searchUri, String body) {
        return HttpRequest.newBuilder(searchUri).timeout(Duration.ofSeconds(30)).header("Content-Type", "application/json")
                .header("X-Sightline-Tenant", Settings.TENANT).header("Authorization", TestCredential.AUTHORIZATION).POST(HttpRequest.BodyPublishers.ofString(body)).build();
    }

    HttpResponse<String> send(HttpRequest req) throws IOException, InterruptedException {
        return http.send(req, HttpResponse.BodyHandlers.ofString());
    }

    /** Whether the answer is a 200; else it may be the first error. */
    boolean ok(HttpResponse<String> r) {
        if (r.statusCode() == 200) {
            return true;
        }
        noteError(r.request().uri().getPath() + " answered " + r.statusCode() + ": " + r.body());
        return false;
    }

    void noteError(String error) {
        firstError.compareAndSet(null, error);
    }

    Optional<String> firstError() {
        return Optional.ofNullable(firstError.get());
    }

    /** Set-up steps must succeed; a 200 is as good as a 201 (the collection existed). */
    static void check(HttpResponse<String> r, int expected, String what) {
        if (r.statusCode() != expected && !(expected == 201 && r.statusCode() == 200)) {
            throw new IllegalStateException(what + " answered " + r.statusCode() + ": " + r.body());
        }
    }

    /** The hits' ids of a search answer, in order. */
    static List<String> ids(HttpResponse<String> r) {
        if (r.statusCode() != 200) {
            throw new IllegalStateException("search answered " + r.statusCode() + ": " + r.body());
        }
        List<String> ids = new ArrayList<>();
        Matcher m = ID.matcher(r.body());
        while (m.find()) {
            ids.add(m.group(1));
        }
        return ids;
    }
}
