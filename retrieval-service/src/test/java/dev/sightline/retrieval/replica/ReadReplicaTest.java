package dev.sightline.retrieval.replica;

import static dev.sightline.retrieval.support.Tenants.as;
import static io.restassured.RestAssured.given;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.sightline.retrieval.support.Tenants;
import dev.sightline.testsupport.DbScripts;
import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.common.QuarkusTestResourceLifecycleManager;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.QuarkusTestProfile;
import io.quarkus.test.junit.TestProfile;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * Reads on a real streaming replica of the project's PostgreSQL (db/replica.sh: pg_basebackup, on loopback):
 * read-your-writes for the writing tenant, the replica bypassed while it lags behind that tenant's write, and
 * searches answered by the primary while the replica is down.
 */
@QuarkusTest
@TestProfile(ReadReplicaTest.WithReplica.class)
class ReadReplicaTest {

    private static final Path LOG = Path.of("target", "replica-test.log");

    /** The service with the replica as its read datasource; a failed replica is retried after 1 s. */
    public static class WithReplica implements QuarkusTestProfile {
        @Override
        public Map<String, String> getConfigOverrides() {
            return Map.of("sightline.retrieval.replica.jdbc-url", System.getenv().getOrDefault(
                    "SIGHTLINE_PG_REPLICA_TEST_JDBC_URL", "jdbc:postgresql://127.0.0.1:55433/sightline_test"),
                    "sightline.retrieval.replica.retry-after", "1S");
        }

        @Override
        public List<TestResourceEntry> testResources() {
            return List.of(new TestResourceEntry(ReplicaRunning.class));
        }
    }

    /**
     * A fresh replica before the service (one left from earlier may no longer find the WAL it needs: it has no slot),
     * stopped after the tests.
     */
    public static class ReplicaRunning implements QuarkusTestResourceLifecycleManager {
        @Override
        public Map<String, String> start() {
            replica("remove");
            replica("start");
            return Map.of();
        }

        @Override
        public void stop() {
            replica("stop");
        }
    }

    static void replica(String command) {
        try {
            DbScripts.run(LOG, "replica.sh", command);
        } catch (Exception e) {
            throw new IllegalStateException(e);
        }
    }

    @AfterEach
    void replicaBackAndReplaying() {
        replica("start");
        replica("resume");
    }

    private static double metric(String name, String tag) {
        String body = given().get("/q/metrics").then().statusCode(200).extract().asString();
        return body.lines().filter(l -> (l.startsWith(name + "{") || l.startsWith(name + " "))
                && (tag == null || l.contains(tag)))
                .mapToDouble(l -> Double.parseDouble(l.substring(l.lastIndexOf(' ') + 1))).sum();
    }

    private static List<String> search(String t, float[] q, int k) {
        return Tenants.searchIds(t, "c", q, k);
    }

    @Test
    void aTenantReadsItsOwnWritesAndTheReplicaAnswersOnceItHasReplayedThem() {
        String t = Tenants.fresh();
        Tenants.collection(t, "c", 3);
        double before = metric("sightline_retrieval_reads_total", "target=\"replica\"");
        for (int i = 0; i < 20; i++) {
            Tenants.upsert(t, "c", List.of(Tenants.item("w" + i, new float[] {1, i + 1, 0}, "image")));
            // The write just made is the nearest to its own vector: seen at once, wherever the read went.
            assertEquals("w" + i, search(t, new float[] {1, i + 1, 0}, 1).get(0));
        }
        assertEquals(20, search(t, new float[] {1, 1, 0}, 50).size());
        assertTrue(metric("sightline_retrieval_reads_total", "target=\"replica\"") - before >= 20,
                "the replica answered the reads");
    }

    @Test
    void whileTheReplicaLagsTheWritersReadsGoToThePrimaryAndOthersStayOnTheReplica() {
        String writer = Tenants.fresh();
        String other = Tenants.fresh();
        Tenants.collection(writer, "c", 3);
        Tenants.collection(other, "c", 3);
        Tenants.upsert(other, "c", List.of(Tenants.item("o", new float[] {0, 1, 0}, "image")));
        search(other, new float[] {0, 1, 0}, 1); // seen replayed: the other tenant has no write pending
        replica("pause");
        Tenants.upsert(writer, "c", List.of(Tenants.item("fresh", new float[] {1, 0, 0}, "image")));
        double fallbacks = metric("sightline_retrieval_replica_fallbacks_total", null);
        double onReplica = metric("sightline_retrieval_reads_total", "target=\"replica\"");
        assertEquals(List.of("fresh"), search(writer, new float[] {1, 0, 0}, 1));
        assertTrue(metric("sightline_retrieval_replica_fallbacks_total", null) > fallbacks,
                "the writer's read waited, then went to the primary");
        assertEquals(List.of("o"), search(other, new float[] {0, 1, 0}, 1));
        assertTrue(metric("sightline_retrieval_reads_total", "target=\"replica\"") > onReplica,
                "the other tenant's read stayed on the replica");
    }

    @Test
    void searchesAreAnsweredByThePrimaryWhileTheReplicaIsDown() throws Exception {
        String t = Tenants.fresh();
        Tenants.collection(t, "c", 3);
        Tenants.upsert(t, "c", List.of(Tenants.item("a", new float[] {1, 0, 0}, "image"),
                Tenants.item("b", new float[] {0, 1, 0}, "image")));
        assertEquals(List.of("a"), search(t, new float[] {1, 0.1f, 0}, 1));
        replica("stop");
        for (int i = 0; i < 10; i++) {
            assertEquals(List.of("a", "b"), search(t, new float[] {1, 0.1f, 0}, 2));
            as(t).get("/collections/c/items/b").then().statusCode(200);
        }
        replica("start");
        Thread.sleep(1500); // retry-after
        double onReplica = metric("sightline_retrieval_reads_total", "target=\"replica\"");
        assertEquals(List.of("a"), search(t, new float[] {1, 0.1f, 0}, 1));
        assertTrue(metric("sightline_retrieval_reads_total", "target=\"replica\"") > onReplica,
                "reads are back on the replica");
    }
}
