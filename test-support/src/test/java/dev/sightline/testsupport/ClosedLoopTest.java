package dev.sightline.testsupport;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;

import dev.sightline.testsupport.ClosedLoop.LateAnswers;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;

class ClosedLoopTest {

    @Test
    void eachWorkerNumbersItsRequestsFromZeroAndEveryAnswerIsCountedOnce() throws Exception {
        List<List<Integer>> seen = List.of(new CopyOnWriteArrayList<>(), new CopyOnWriteArrayList<>(),
                new CopyOnWriteArrayList<>());

        ClosedLoop.Run run = ClosedLoop.run(3, 0.2, LateAnswers.COUNTED, (worker, n) -> {
            seen.get(worker).add(n);
            return true;
        });

        int sent = 0;
        for (List<Integer> requests : seen) {
            List<Integer> expected = new ArrayList<>();
            for (int n = 0; n < requests.size(); n++) {
                expected.add(n);
            }
            assertEquals(expected, requests);
            sent += requests.size();
        }
        assertEquals(sent, run.latencies().count());
        assertEquals(0, run.errors());
    }

    @Test
    void aFalseAnswerIsAnErrorWithoutALatency() throws Exception {
        AtomicInteger sent = new AtomicInteger();

        ClosedLoop.Run run = ClosedLoop.run(1, 0.2, LateAnswers.COUNTED, (worker, n) -> {
            sent.incrementAndGet();
            return n >= 2;
        });

        assertEquals(2, run.errors());
        assertEquals(sent.get() - 2, run.latencies().count());
    }

    @Test
    void droppedLateAnswersAreNotCountedAndTheRunLastsItsWindow() throws Exception {
        CountDownLatch windowOver = new CountDownLatch(1);
        try (ClosedLoop loop = ClosedLoop.start(2, 0.5, LateAnswers.DROPPED, (worker, n) -> {
            windowOver.await();
            return true;
        })) {
            loop.awaitWindowEnd();
            windowOver.countDown();
            ClosedLoop.Run run = loop.finish();

            assertEquals(new ClosedLoop.Run(Latencies.NONE, 0, 0.5), run);
        }
    }

    @Test
    void countedLateAnswersAreMeasuredLikeAnyOther() throws Exception {
        CountDownLatch windowOver = new CountDownLatch(1);
        try (ClosedLoop loop = ClosedLoop.start(2, 0.5, LateAnswers.COUNTED, (worker, n) -> {
            windowOver.await();
            return true;
        })) {
            loop.awaitWindowEnd();
            windowOver.countDown();
            ClosedLoop.Run run = loop.finish();

            assertEquals(2, run.latencies().count());
            assertEquals(0, run.errors());
        }
    }

    @Test
    void aRequestThatThrowsFailsTheRun() {
        IllegalStateException boom = new IllegalStateException("boom");

        ExecutionException e = assertThrows(ExecutionException.class,
                () -> ClosedLoop.run(1, 0.2, LateAnswers.COUNTED, (worker, n) -> {
                    throw boom;
                }));

        assertSame(boom, e.getCause());
    }
}
