package dev.sightline.embed.support;

import dev.sightline.embed.batching.BatchRunner;
import java.util.List;
import java.util.function.Consumer;

/** A real runner whose every batch first passes through {@code beforeRun}, which may block or throw to inject a fault. */
public record FaultInjectingRunner<I>(BatchRunner<I> real, Consumer<List<I>> beforeRun) implements BatchRunner<I> {

    @Override
    public int fixedBatchSize() {
        return real.fixedBatchSize();
    }

    @Override
    public String executionProvider() {
        return real.executionProvider();
    }

    @Override
    public float[][] run(List<I> inputs) {
        beforeRun.accept(inputs);
        return real.run(inputs);
    }

    @Override
    public void close() {
        real.close();
    }
}
