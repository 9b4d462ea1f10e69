package dev.sightline.embed.batching;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.sightline.common.problem.ProblemException;
import dev.sightline.embed.EmbedProblem;
import dev.sightline.embed.config.EmbedConfig.Device;
import dev.sightline.embed.inference.OnnxModel;
import dev.sightline.embed.inference.RuntimeOptions;
import dev.sightline.embed.inference.TextBatchRunner;
import dev.sightline.embed.support.FaultInjectingRunner;
import dev.sightline.embed.support.Fixture;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.CountDownLatch;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** The batching queue, driving the real bundled text encoder. */
class BatchQueueTest {

    private static final int[] RED_CIRCLE = {49406, 320, 736, 7117, 49407};
    private static final int[] BLUE_SQUARE = {49406, 320, 1125, 539, 320, 1746, 3999, 269, 49407};

    @BeforeAll
    static void offline() {
        System.setProperty("ai.djl.offline", "true");
    }

    private static BatchQueue<int[]> queue(int capacity, Duration maxWait, SimpleMeterRegistry registry) {
        return new BatchQueue<>("text", capacity, 16, maxWait, 1, () -> new TextBatchRunner(
                OnnxModel.load(Fixture.bundledModel().resolve("text_model.onnx"),
                        new RuntimeOptions(1, 1, false, Device.cpu, 0))), registry);
    }

    @Test
    void coalescesConcurrentSubmissionsIntoBatchesWithUnchangedResults() throws Exception {
        SimpleMeterRegistry registry = new SimpleMeterRegistry();
        try (BatchQueue<int[]> q = queue(64, Duration.ofMillis(100), registry)) {
            float[] single = q.submit(List.of(RED_CIRCLE)).get(0).join();
            float[] other = q.submit(List.of(BLUE_SQUARE)).get(0).join();
            CountDownLatch go = new CountDownLatch(1);
            List<CompletableFuture<float[]>> results = new ArrayList<>();
            List<Thread> threads = new ArrayList<>();
            for (int i = 0; i < 12; i++) {
                int[] ids = i % 2 == 0 ? RED_CIRCLE : BLUE_SQUARE;
                CompletableFuture<float[]> f = new CompletableFuture<>();
                results.add(f);
                Thread t = new Thread(() -> {
                    try {
                        go.await();
                        q.submit(List.of(ids)).get(0).whenComplete((v, e) -> f.complete(v));
                    } catch (InterruptedException e) {
                        f.completeExceptionally(e);
                    }
                });
                threads.add(t);
                t.start();
            }
            go.countDown();
            for (int i = 0; i < results.size(); i++) {
                assertArrayEquals(i % 2 == 0 ? single : other, results.get(i).join(), 1e-6f);
            }
            double max = registry.get("sightline.embed.batch.size").summary().max();
            assertTrue(max > 1, "twelve simultaneous submissions ran one by one");
        }
    }

    @Test
    void refusesAWholeRequestWhenItsItemsDoNotFit() {
        try (BatchQueue<int[]> q = queue(4, Duration.ofMillis(1), new SimpleMeterRegistry())) {
            ProblemException e = assertThrows(ProblemException.class,
                    () -> q.submit(List.of(RED_CIRCLE, RED_CIRCLE, RED_CIRCLE, RED_CIRCLE, RED_CIRCLE)));
            assertEquals(EmbedProblem.QUEUE_FULL, e.code());
            assertEquals(4, q.submit(List.of(RED_CIRCLE, RED_CIRCLE, RED_CIRCLE, RED_CIRCLE)).size());
        }
    }

    /** The real text runner, except that a batch holding {@code trigger} waits for {@code go}, then throws an Error. */
    private static BatchRunner<int[]> errorOnTrigger(BatchRunner<int[]> real, int[] trigger, CountDownLatch running,
            CountDownLatch go) {
        return new FaultInjectingRunner<>(real, inputs -> {
            if (inputs.stream().anyMatch(i -> i == trigger)) {
                running.countDown();
                try {
                    go.await();
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                }
                throw new OutOfMemoryError("injected by the test");
            }
        });
    }

    @Test
    void aWorkerErrorFailsTheRunningAndWaitingItemsAndEveryLaterSubmissionAsNotReady() throws Exception {
        int[] trigger = RED_CIRCLE.clone();
        CountDownLatch running = new CountDownLatch(1);
        CountDownLatch go = new CountDownLatch(1);
        try (BatchQueue<int[]> q = new BatchQueue<>("text", 16, 16, Duration.ofMillis(1), 1,
                () -> errorOnTrigger(new TextBatchRunner(OnnxModel.load(
                        Fixture.bundledModel().resolve("text_model.onnx"), new RuntimeOptions(1, 1, false, Device.cpu, 0))),
                        trigger, running, go), new SimpleMeterRegistry())) {
            assertEquals(128, q.submit(List.of(RED_CIRCLE)).get(0).join().length);
            assertEquals(null, q.failure());

            List<CompletableFuture<float[]>> inFlight = q.submit(List.of(trigger));
            running.await();
            List<CompletableFuture<float[]>> waiting = q.submit(List.of(RED_CIRCLE, BLUE_SQUARE));
            go.countDown();

            for (CompletableFuture<float[]> f : List.of(inFlight.get(0), waiting.get(0), waiting.get(1))) {
                CompletionException e = assertThrows(CompletionException.class, f::join);
                ProblemException p = assertInstanceOf(ProblemException.class, e.getCause());
                assertEquals(EmbedProblem.NOT_READY, p.code());
                assertEquals("The text encoder stopped after an internal error; the service must be restarted.",
                        p.getMessage());
            }
            assertEquals("java.lang.OutOfMemoryError: injected by the test", q.failure());
            ProblemException later = assertThrows(ProblemException.class, () -> q.submit(List.of(BLUE_SQUARE)));
            assertEquals(EmbedProblem.NOT_READY, later.code());
        }
    }

    @Test
    void aFailingItemDoesNotFailItsBatchNeighbours() {
        try (BatchQueue<int[]> q = queue(16, Duration.ofMillis(50), new SimpleMeterRegistry())) {
            float[] expected = q.submit(List.of(RED_CIRCLE)).get(0).join();
            int[] outOfVocabulary = {49406, 987654, 49407};
            List<CompletableFuture<float[]>> f = q.submit(List.of(RED_CIRCLE, outOfVocabulary, RED_CIRCLE));
            assertArrayEquals(expected, f.get(0).join(), 1e-6f);
            assertArrayEquals(expected, f.get(2).join(), 1e-6f);
            CompletionException e = assertThrows(CompletionException.class, () -> f.get(1).join());
            assertInstanceOf(ProblemException.class, e.getCause());
            assertArrayEquals(expected, q.submit(List.of(RED_CIRCLE)).get(0).join(), 1e-6f);
        }
    }

    @Test
    void closedLoopClientsOfACostlyModelAreCollectedIntoFullBatches() throws Exception {
        // Eight clients that each come back 5..26 ms after their answer (reading it, decoding the next image),
        // against the real text model slowed to 100 ms a call, as a ViT-B/32 batch costs on two cores.
        assertTrue(meanBatch(Duration.ofMillis(200), 0.5) >= 7.0, "load wait: batches of the whole load");
        assertTrue(meanBatch(Duration.ZERO, 0) < 6.0, "without it the returning clients split into small batches");
    }

    private static double meanBatch(Duration loadWait, double fraction) throws Exception {
        SimpleMeterRegistry registry = new SimpleMeterRegistry();
        try (BatchQueue<int[]> q = new BatchQueue<>("text", "-", 64, 16, Duration.ofMillis(1), loadWait, fraction, 1,
                () -> new FaultInjectingRunner<>(new TextBatchRunner(OnnxModel.load(
                        Fixture.bundledModel().resolve("text_model.onnx"), new RuntimeOptions(1, 1, false, Device.cpu, 0))),
                        inputs -> sleep(100)), registry)) {
            q.submit(List.of(RED_CIRCLE)).get(0).join();
            List<Thread> clients = new ArrayList<>();
            for (int c = 0; c < 8; c++) {
                int think = 5 + 3 * c;
                Thread t = new Thread(() -> {
                    for (int round = 0; round < 8; round++) {
                        q.submit(List.of(RED_CIRCLE)).get(0).join();
                        sleep(think);
                    }
                });
                clients.add(t);
                t.start();
            }
            for (Thread t : clients) {
                t.join();
            }
            var sizes = registry.get("sightline.embed.batch.size").summary();
            // The warm-up call is one batch of one.
            return (sizes.totalAmount() - 1) / (sizes.count() - 1);
        }
    }

    private static void sleep(long ms) {
        try {
            Thread.sleep(ms);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
