package dev.sightline.gateway.auth;

import dev.sightline.common.naming.Names;
import dev.sightline.gateway.config.GatewayConfig;
import io.quarkus.runtime.StartupEvent;
import io.vertx.mutiny.core.Vertx;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HashMap;
import java.util.HexFormat;
import java.util.Map;
import java.util.Optional;
import java.util.regex.Pattern;
import org.jboss.logging.Logger;

/**
 * API keys, stored only as SHA-256 hashes in a file ("sha256:HEX TENANT [NOTE]" per line), re-read without a
 * restart when the file changes (e.g. a Kubernetes Secret update). Keys are 256-bit random strings, so an unsalted
 * fast hash is enough: there is nothing to brute-force.
 */
@ApplicationScoped
public class ApiKeys {

    private static final Logger LOG = Logger.getLogger(ApiKeys.class);
    private static final Pattern HASH = Pattern.compile("sha256:[0-9a-f]{64}");

    private final Vertx vertx;
    private final GatewayConfig.Auth config;
    private volatile Map<String, String> tenantsByHash = Map.of();
    private volatile String fingerprint = "";

    public ApiKeys(Vertx vertx, GatewayConfig config) {
        this.vertx = vertx;
        this.config = config.auth();
    }

    void start(@Observes StartupEvent event) {
        // The first load happens before the HTTP server takes requests (start-up thread, blocking is fine here).
        java.nio.file.Path path = java.nio.file.Path.of(config.keysFile());
        try {
            if (java.nio.file.Files.isRegularFile(path)) {
                tenantsByHash = parse(java.nio.file.Files.readString(path), config.keysFile());
                fingerprint = java.nio.file.Files.size(path) + "@" + java.nio.file.Files.getLastModifiedTime(path).toMillis();
                LOG.infof("loaded %d API keys from %s", tenantsByHash.size(), path);
            }
        } catch (java.io.IOException e) {
            LOG.errorf("cannot read API keys file %s: %s", path, e.getMessage());
        }
        vertx.setPeriodic(config.reloadInterval().toMillis(), id -> reload());
    }

    /** The tenant of a presented key, if the key is known. */
    public Optional<String> tenantOf(String key) {
        return Optional.ofNullable(tenantsByHash.get(hash(key)));
    }

    /** "sha256:HEX" of a key. */
    public static String hash(String key) {
        try {
            byte[] digest = MessageDigest.getInstance("SHA-256").digest(key.getBytes(StandardCharsets.UTF_8));
            return "sha256:" + HexFormat.of().formatHex(digest);
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }

    /** Re-reads the file when its size or modification time changed; asynchronous file I/O only. */
    private void reload() {
        String path = config.keysFile();
        vertx.fileSystem().exists(path).subscribe().with(exists -> {
            if (!exists) {
                if (!tenantsByHash.isEmpty() || fingerprint.isEmpty()) {
                    LOG.warnf("API keys file %s does not exist: every /v1 request will be refused", path);
                    tenantsByHash = Map.of();
                    fingerprint = "missing";
                }
                return;
            }
            vertx.fileSystem().props(path).subscribe().with(props -> {
                String fp = props.size() + "@" + props.lastModifiedTime();
                if (fp.equals(fingerprint)) {
                    return;
                }
                vertx.fileSystem().readFile(path).subscribe().with(buf -> {
                    tenantsByHash = parse(buf.toString(StandardCharsets.UTF_8), path);
                    fingerprint = fp;
                    LOG.infof("loaded %d API keys from %s", tenantsByHash.size(), path);
                }, e -> LOG.errorf("cannot read API keys file %s: %s", path, e.getMessage()));
            }, e -> LOG.errorf("cannot stat API keys file %s: %s", path, e.getMessage()));
        }, e -> LOG.errorf("cannot check API keys file %s: %s", path, e.getMessage()));
    }

    static Map<String, String> parse(String text, String source) {
        Map<String, String> map = new HashMap<>();
        int n = 0;
        for (String line : text.split("\n")) {
            n++;
            String l = line.strip();
            if (l.isEmpty() || l.startsWith("#")) {
                continue;
            }
            String[] parts = l.split("\\s+");
            if (parts.length < 2 || !HASH.matcher(parts[0]).matches() || !Names.isName(parts[1])) {
                LOG.warnf("%s line %d ignored: expected 'sha256:HEX TENANT [NOTE]'", source, n);
                continue;
            }
            map.put(parts[0], parts[1]);
        }
        return Map.copyOf(map);
    }
}
