package dev.sightline.testsupport;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.stream.LongStream;
import org.junit.jupiter.api.Test;

class LatenciesTest {

    /** 1 ms, 2 ms, ... 100 ms, shuffled. */
    private static final Latencies HUNDRED = Latencies.of(LongStream.rangeClosed(1, 100).map(i -> (i * 37) % 101)
            .map(i -> i * 1_000_000).toArray());

    @Test
    void ofSortsTheSamples() {
        assertEquals(Latencies.of(3, 1, 2), new Latencies(new long[] {1, 2, 3}));
    }

    @Test
    void nearestRankIsTheSmallestSampleWithAtLeastThatShareAtOrBelowIt() {
        assertEquals(50.0, HUNDRED.nearestRankMs(0.50));
        assertEquals(99.0, HUNDRED.nearestRankMs(0.99));
        assertEquals(100.0, HUNDRED.nearestRankMs(1.0));
        assertEquals(1.0, HUNDRED.nearestRankMs(0.001));
    }

    @Test
    void floorRankIsOneAboveNearestRankWhenTheRankIsWhole() {
        assertEquals(51.0, HUNDRED.floorRankMs(0.50));
        assertEquals(100.0, HUNDRED.floorRankMs(0.99));
        assertEquals(100.0, HUNDRED.floorRankMs(1.0));
        assertEquals(2.0, Latencies.of(1_000_000, 2_000_000, 3_000_000).floorRankMs(0.5));
        assertEquals(2.0, Latencies.of(1_000_000, 2_000_000, 3_000_000).nearestRankMs(0.5));
    }

    @Test
    void meanIsInMilliseconds() {
        assertEquals(50.5, HUNDRED.meanMs());
    }

    @Test
    void anEmptyMeasurementHasNoStatistics() {
        assertEquals(0, Latencies.NONE.count());
        assertEquals(Double.NaN, Latencies.NONE.meanMs());
        assertEquals(Double.NaN, Latencies.NONE.nearestRankMs(0.5));
        assertEquals(Double.NaN, Latencies.NONE.floorRankMs(0.5));
    }

    @Test
    void plusMergesTwoMeasurementsInOrder() {
        assertEquals(Latencies.of(1, 2, 3, 4, 5), Latencies.of(4, 1).plus(Latencies.of(5, 2, 3)));
        assertEquals(Latencies.of(7), Latencies.NONE.plus(Latencies.of(7)));
    }
}
