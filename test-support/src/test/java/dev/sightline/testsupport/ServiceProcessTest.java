package dev.sightline.testsupport;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.net.ServerSocket;
import java.net.URI;
import java.net.URISyntaxException;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ServiceProcessTest {

    private static final Duration START = Duration.ofSeconds(60);
    /** The JVM's exit status after SIGTERM (shutdown hooks ran) and after SIGKILL: 128 + the signal. */
    private static final int SIGTERM_STATUS = 143;
    private static final int SIGKILL_STATUS = 137;

    @TempDir
    Path dir;

    private ServiceLaunch fake(String mode) throws URISyntaxException {
        Path classes = Path.of(FakeService.class.getProtectionDomain().getCodeSource().getLocation().toURI());
        return ServiceLaunch.mainClass("fake", classes, FakeService.class.getName()).withProperty("fake.mode", mode)
                .loggingTo(dir.resolve(mode + ".log"));
    }

    private static int get(String url) throws IOException, InterruptedException {
        return HttpClient.newHttpClient().send(HttpRequest.newBuilder(URI.create(url)).build(),
                HttpResponse.BodyHandlers.discarding()).statusCode();
    }

    @Test
    void startsOnTheGivenPortOnLoopbackWithTheCurrentJavaAndIsReadyWhenHealthAnswers200() throws Exception {
        int port = ServiceProcess.freePort();
        Path classes = Path.of(FakeService.class.getProtectionDomain().getCodeSource().getLocation().toURI());
        try (ServiceProcess service = ServiceProcess.start(fake("ready").onPort(port)).awaitReady(START)) {
            assertEquals(port, service.port());
            assertEquals("http://127.0.0.1:" + port, service.url());
            assertEquals(List.of(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                    "-Dquarkus.http.port=" + port, "-Dquarkus.http.host=127.0.0.1", "-Dfake.mode=ready", "-cp",
                    classes.toString(), FakeService.class.getName()), service.command());
            assertEquals(200, get(service.url() + "/q/health/ready"));
            assertEquals(dir.resolve("ready.log"), service.log());
        }
    }

    @Test
    void stopEndsTheServiceWithSigtermSoItsShutdownHooksRun() throws Exception {
        ServiceProcess service = ServiceProcess.start(fake("ready")).awaitReady(START);

        assertEquals(SIGTERM_STATUS, service.stop());
        assertFalse(service.isAlive());
        assertEquals(List.of(FakeService.HOOK_MESSAGE), Files.readAllLines(service.log()));
    }

    @Test
    void stopKillsAServiceThatIsStillThereAfterTheGracePeriod() throws Exception {
        ServiceProcess service = ServiceProcess.start(fake("hangs-on-stop")).awaitReady(START);

        assertEquals(SIGKILL_STATUS, service.stop(Duration.ofMillis(500)));
        assertFalse(service.isAlive());
    }

    @Test
    void killEndsTheServiceWithSigkillSoNoShutdownHookRuns() throws Exception {
        ServiceProcess service = ServiceProcess.start(fake("ready")).awaitReady(START);

        assertEquals(SIGKILL_STATUS, service.kill());
        assertFalse(service.isAlive());
        assertEquals(List.of(), Files.readAllLines(service.log()));
    }

    @Test
    void closeStopsTheServiceAndMayBeRepeated() throws Exception {
        ServiceProcess service = ServiceProcess.start(fake("ready")).awaitReady(START);

        service.close();
        service.close();

        assertFalse(service.isAlive());
        assertEquals(List.of(FakeService.HOOK_MESSAGE), Files.readAllLines(service.log()));
    }

    @Test
    void awaitReadyFailsAtOnceWithTheEndOfTheLogWhenTheServiceExits() throws Exception {
        ServiceProcess service = ServiceProcess.start(fake("crash"));

        IllegalStateException e = assertThrows(IllegalStateException.class, () -> service.awaitReady(START));

        assertEquals("fake exited with 3 before it was ready; the end of " + dir.resolve("crash.log") + ":\n"
                + FakeService.CRASH_MESSAGE, e.getMessage());
    }

    @Test
    void awaitReadyGivesUpAfterTheTimeoutWhileTheServiceIsNotReady() throws Exception {
        try (ServiceProcess service = ServiceProcess.start(fake("never-ready"))) {
            IllegalStateException e = assertThrows(IllegalStateException.class,
                    () -> service.awaitReady(Duration.ofMillis(300)));

            assertTrue(e.getMessage().startsWith("fake on port " + service.port() + " not ready after 300 ms; the end of "
                    + dir.resolve("never-ready.log") + ":\n"), e.getMessage());
            assertTrue(service.isAlive());
        }
    }

    @Test
    void aModuleWhoseJarIsNotBuiltIsRefusedBeforeAnythingStarts() {
        IllegalStateException e = assertThrows(IllegalStateException.class,
                () -> ServiceLaunch.module(dir, "retrieval-service"));

        assertEquals(dir.resolve("retrieval-service/target/quarkus-app/quarkus-run.jar") + " is missing: package it "
                + "first (./mvnw -B -q install -DskipTests from the repository root)", e.getMessage());
    }

    @Test
    void aModuleLaunchRunsItsPackagedJarWithTheTestTokenThenTheJvmOptionsInOrder() throws Exception {
        Path jar = dir.resolve("gateway/target/quarkus-app/quarkus-run.jar");
        Files.createDirectories(jar.getParent());
        Files.createFile(jar);

        ServiceLaunch launch = ServiceLaunch.module(dir, "gateway").withProperty("a", "1")
                .withJvmOptions(List.of("-Xmx64m", "-Db=2")).onPort(8080);

        assertEquals(new ServiceLaunch("gateway", List.of("-jar", jar.toString()), 8080,
                List.of("-Dsightline.internal.token=" + TestCredential.TOKEN, "-Da=1", "-Xmx64m", "-Db=2"), null),
                launch);
    }

    @Test
    void freePortIsOneThatCanBeListenedOn() throws Exception {
        int port = ServiceProcess.freePort();

        try (ServerSocket socket = new ServerSocket(port)) {
            assertEquals(port, socket.getLocalPort());
        }
    }
}
