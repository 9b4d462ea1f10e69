package dev.sightline.embed;

import dev.sightline.common.problem.ProblemException;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;

/** Waits for engine results, surfacing the engine's own exception rather than a wrapper. */
public final class Futures {

    private Futures() {
    }

    /** The future's value; an {@link ProblemException} behind it is rethrown as is. */
    public static <T> T await(CompletableFuture<T> future) {
        try {
            return future.join();
        } catch (CompletionException e) {
            if (e.getCause() instanceof RuntimeException r) {
                throw r;
            }
            throw e;
        }
    }
}
