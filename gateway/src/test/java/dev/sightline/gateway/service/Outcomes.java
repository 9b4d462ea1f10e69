package dev.sightline.gateway.service;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import dev.sightline.common.problem.ProblemCode;
import dev.sightline.common.problem.ProblemException;
import io.smallrye.mutiny.Uni;
import java.util.function.Supplier;

/** Awaiting a service call, and asserting the problem it fails with (thrown at once or through the Uni). */
final class Outcomes {

    private Outcomes() {
    }

    static <T> T await(Uni<T> uni) {
        return uni.await().indefinitely();
    }

    static void assertProblem(ProblemCode code, String detail, Supplier<Uni<?>> call) {
        ProblemException e = assertThrows(ProblemException.class, () -> call.get().await().indefinitely());
        assertEquals(code, e.code());
        assertEquals(detail, e.getMessage());
    }
}
