package dev.sightline.embed.model;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ai.onnxruntime.OnnxJavaType;
import dev.sightline.embed.batching.BatchQueue;
import dev.sightline.embed.config.EmbedConfig.Device;
import dev.sightline.embed.inference.ImageBatchRunner;
import dev.sightline.embed.inference.OnnxModel;
import dev.sightline.embed.inference.RuntimeOptions;
import dev.sightline.embed.inference.TextBatchRunner;
import dev.sightline.embed.support.Fixture;
import dev.sightline.embed.support.TestModels;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import java.util.Random;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** The three model folder layouts are recognised and, holding the same weights, give the same embeddings. */
class ModelLayoutTest {

    private static final RuntimeOptions CPU = new RuntimeOptions(1, 1, false, Device.cpu, 0);
    private static final List<int[]> IDS = List.of(new int[] {49406, 320, 736, 7117, 49407},
            new int[] {49406, 320, 1125, 539, 320, 1746, 3999, 269, 49407}, new int[] {49406, 49407});
    private static List<float[]> pixels;

    @BeforeAll
    static void init() {
        System.setProperty("ai.djl.offline", "true");
        Random r = new Random(3);
        pixels = List.of(randomPixels(r), randomPixels(r));
    }

    private static float[] randomPixels(Random r) {
        float[] p = new float[3 * 224 * 224];
        for (int i = 0; i < p.length; i++) {
            p[i] = (float) r.nextGaussian();
        }
        return p;
    }

    private static float[][] text(Path model) {
        try (TextBatchRunner runner = new TextBatchRunner(OnnxModel.load(model, CPU))) {
            return runner.run(IDS);
        }
    }

    private static float[][] image(Path model) {
        try (ImageBatchRunner runner = new ImageBatchRunner(OnnxModel.load(model, CPU), 224, 224)) {
            return runner.run(pixels);
        }
    }

    @Test
    void recognisesTheBundledLayoutAndItsConfig() {
        ModelFolder f = ModelFolderReader.read(Fixture.bundledModel());
        assertEquals(ModelLayout.BUNDLED, f.layout());
        assertEquals(Optional.of("sightline/tiny-clip"), f.id());
        assertTrue(f.logitScale().isPresent());
        assertEquals(77, f.contextLength());
        assertEquals(224, f.preprocess().cropHeight());
    }

    @Test
    void hfLayoutWithAttentionMaskGivesTheBundledEmbeddings() {
        ModelFolder hf = ModelFolderReader.read(TestModels.hf());
        ModelFolder bundled = ModelFolderReader.read(Fixture.bundledModel());
        assertEquals(ModelLayout.HUGGINGFACE, hf.layout());
        assertEquals(Optional.of("test/hf-tiny-clip"), hf.id());
        assertEquals(Optional.empty(), hf.logitScale(), "HF configs carry no trained logit scale");
        try (OnnxModel m = OnnxModel.load(hf.textModel(), CPU)) {
            assertEquals(List.of("input_ids", "attention_mask"), m.inputs().stream().map(s -> s.name()).toList());
        }
        assertDeepEquals(text(bundled.textModel()), text(hf.textModel()));
        assertDeepEquals(image(bundled.visionModel()), image(hf.visionModel()));
    }

    @Test
    void immichLayoutWithInt32IdsAndFixedBatchGivesTheBundledEmbeddings() {
        ModelFolder immich = ModelFolderReader.read(TestModels.immich());
        ModelFolder bundled = ModelFolderReader.read(Fixture.bundledModel());
        assertEquals(ModelLayout.IMMICH, immich.layout());
        assertEquals(Optional.empty(), immich.logitScale());
        try (TextBatchRunner runner = new TextBatchRunner(OnnxModel.load(immich.textModel(), CPU))) {
            assertEquals(1, runner.fixedBatchSize());
            assertEquals(77, runner.fixedSequenceLength());
        }
        try (OnnxModel m = OnnxModel.load(immich.textModel(), CPU)) {
            assertEquals("text", m.inputs().get(0).name());
            assertEquals(OnnxJavaType.INT32, m.inputs().get(0).type());
            assertEquals("embedding", m.output().name());
        }
        // A fixed batch of 1 caps the queue's batches; three texts still come back in order.
        try (BatchQueue<int[]> q = new BatchQueue<>("immich-text", 16, 8, Duration.ofMillis(5), 1,
                () -> new TextBatchRunner(OnnxModel.load(immich.textModel(), CPU)), new SimpleMeterRegistry())) {
            assertEquals(1, q.maxBatch());
            float[][] expected = text(bundled.textModel());
            List<float[]> got = q.submit(IDS).stream().map(f -> f.join()).toList();
            assertDeepEquals(expected, got.toArray(float[][]::new));
        }
        try (BatchQueue<float[]> q = new BatchQueue<>("immich-image", 16, 8, Duration.ofMillis(5), 1,
                () -> new ImageBatchRunner(OnnxModel.load(immich.visionModel(), CPU), 224, 224), new SimpleMeterRegistry())) {
            List<float[]> got = q.submit(pixels).stream().map(f -> f.join()).toList();
            assertDeepEquals(image(bundled.visionModel()), got.toArray(float[][]::new));
        }
    }

    @Test
    void rejectsAFolderWithoutAModel() {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> ModelFolderReader.read(Fixture.dir()));
        assertTrue(e.getMessage().contains("no CLIP model recognised"), e.getMessage());
    }

    private static void assertDeepEquals(float[][] expected, float[][] actual) {
        assertEquals(expected.length, actual.length);
        for (int i = 0; i < expected.length; i++) {
            assertArrayEquals(expected[i], actual[i], 1e-5f, "row " + i);
        }
    }
}
