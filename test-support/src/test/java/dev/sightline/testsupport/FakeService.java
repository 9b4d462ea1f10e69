package dev.sightline.testsupport;

import com.sun.net.httpserver.HttpServer;
import java.net.InetSocketAddress;

/**
 * A stand-in for a packaged service in {@link ServiceProcessTest}: serves {@code /q/health/ready} on
 * {@code quarkus.http.port} and says in its output when its shutdown hook runs. {@code fake.mode} picks how it
 * behaves: {@code ready} (200), {@code never-ready} (503), {@code crash} (exits with 3 at once),
 * {@code hangs-on-stop} (ready, but its shutdown hook never ends).
 */
public final class FakeService {

    static final String CRASH_MESSAGE = "fake service: cannot start";
    static final String HOOK_MESSAGE = "fake service: shutdown hook";

    private FakeService() {
    }

    public static void main(String[] args) throws Exception {
        String mode = System.getProperty("fake.mode", "ready");
        if (mode.equals("crash")) {
            System.out.println(CRASH_MESSAGE);
            System.exit(3);
        }
        int status = mode.equals("never-ready") ? 503 : 200;
        HttpServer server = HttpServer.create(new InetSocketAddress("127.0.0.1", Integer.getInteger("quarkus.http.port")), 0);
        server.createContext("/q/health/ready", exchange -> {
            exchange.sendResponseHeaders(status, -1);
            exchange.close();
        });
        Runtime.getRuntime().addShutdownHook(new Thread(() -> {
            System.out.println(HOOK_MESSAGE);
            if (mode.equals("hangs-on-stop")) {
                try {
                    Thread.sleep(Long.MAX_VALUE);
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                }
            }
        }));
        server.start(); // its dispatcher thread keeps the JVM running
    }
}
