package dev.sightline.embed.inference;

import dev.sightline.common.problem.CommonProblem;
import dev.sightline.common.problem.ProblemException;
import dev.sightline.embed.Encoder;
import dev.sightline.embed.config.EmbedConfig;
import dev.sightline.embed.image.DecodingBudget;
import dev.sightline.embed.model.ModelFolderReader;
import io.micrometer.core.instrument.MeterRegistry;
import io.quarkus.runtime.ShutdownEvent;
import io.quarkus.runtime.StartupEvent;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collection;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The served models: {@code model.dir} (the default, used when a request names none) and each of
 * {@code model.extra-dirs}, every one with its own encoders, batching queues and readiness, all loading in
 * parallel at start. They share the decoded-pixel budget, which bounds the memory of images in flight whatever
 * model they are for. A request naming a model that is not served is a 404 problem.
 */
@ApplicationScoped
public class Encoders {

    private final Map<String, ClipEncoder> byId = new LinkedHashMap<>();
    private final ClipEncoder defaultEncoder;

    public Encoders(EmbedConfig config, MeterRegistry registry, ModelRunners runners) {
        DecodingBudget decoding = new DecodingBudget(config.limits().maxDecodingPixels(), config.limits().decodingWait());
        List<Path> dirs = new ArrayList<>();
        dirs.add(Path.of(config.model().dir()));
        config.model().extraDirs().ifPresent(extra -> extra.stream().map(String::trim).filter(d -> !d.isEmpty())
                .map(Path::of).forEach(dirs::add));
        for (int i = 0; i < dirs.size(); i++) {
            Path dir = dirs.get(i);
            String id = i == 0 && config.model().id().isPresent() ? config.model().id().get() : idOf(dir);
            if (byId.containsKey(id)) {
                throw new IllegalStateException("two model folders are both model " + id + ": " + byId.get(id).dir()
                        + " and " + dir + " (a model id is served once)");
            }
            byId.put(id, new ClipEncoder(dir, id, config, registry, runners, decoding));
        }
        defaultEncoder = byId.values().iterator().next();
    }

    /** The id the folder names, else the folder's name; a folder that cannot be read fails when it loads. */
    private static String idOf(Path dir) {
        String name = dir.toAbsolutePath().normalize().getFileName().toString();
        try {
            return ModelFolderReader.read(dir).id().orElse(name);
        } catch (RuntimeException e) {
            return name;
        }
    }

    void onStart(@Observes StartupEvent event) {
        // DJL must never try to download anything: models and native libraries come from the classpath and disk.
        System.setProperty("ai.djl.offline", "true");
        byId.values().forEach(ClipEncoder::start);
    }

    void onStop(@Observes ShutdownEvent event) {
        byId.values().forEach(ClipEncoder::close);
    }

    /** The model a request names, or the default when it names none; 404 for a model not served here. */
    public Encoder get(String model) {
        if (model == null || model.isBlank()) {
            return defaultEncoder;
        }
        ClipEncoder e = byId.get(model);
        if (e == null) {
            throw new ProblemException(CommonProblem.NOT_FOUND, "The model " + model + " is not served here; served: "
                    + String.join(", ", byId.keySet()) + ".");
        }
        return e;
    }

    /** The default model's id. */
    public String defaultId() {
        return defaultEncoder.id();
    }

    /** Every served model, the default first. */
    public Collection<ClipEncoder> all() {
        return byId.values();
    }
}
