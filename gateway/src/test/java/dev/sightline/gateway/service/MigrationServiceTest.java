package dev.sightline.gateway.service;

import static dev.sightline.gateway.service.Outcomes.assertProblem;
import static dev.sightline.gateway.service.Outcomes.await;
import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.sightline.common.problem.CommonProblem;
import dev.sightline.gateway.service.MigrationService.StartMigration;
import org.junit.jupiter.api.Test;

class MigrationServiceTest {

    private final FakeEmbedClient embed = new FakeEmbedClient();
    private final FakeRetrievalClient retrieval = new FakeRetrievalClient();
    private final MigrationService migrations = new MigrationService(embed, retrieval);

    @Test
    void aMigrationNamesAServedModelAndGoesWithItsDimension() {
        assertEquals(202, await(migrations.start("acme", "shapes", new StartMigration("fake/clip-small"))).status());
        assertEquals("acme/shapes fake/clip-small 3", retrieval.lastMigration);
    }

    @Test
    void refusesAMissingOrUnservedModelAndABadName() {
        assertProblem(CommonProblem.INVALID_REQUEST, "model is required: the id of a served model (GET /v1/models).",
                () -> migrations.start("acme", "shapes", new StartMigration(null)));
        assertProblem(CommonProblem.NOT_FOUND, "The model gpt-4 is not served; GET /v1/models lists the served ones"
                + " (fake/clip, fake/clip-small).", () -> migrations.start("acme", "shapes", new StartMigration("gpt-4")));
        assertProblem(CommonProblem.INVALID_REQUEST, "Collection names must match [a-z0-9][a-z0-9_-]{0,62}.",
                () -> migrations.start("acme", "Bad Name", new StartMigration("fake/clip")));
        assertEquals(null, retrieval.lastMigration);
    }
}
