package dev.arcsim.bench;

import dev.arcsim.fake.FakeGitHub;
import dev.arcsim.fake.http.FakeGitHubServer;
import dev.arcsim.listener.client.ActionsClient;
import dev.arcsim.listener.client.MessageSession;
import dev.arcsim.listener.time.SystemScheduler;
import dev.arcsim.listener.wire.JdkTransport;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * fake-github over loopback HTTP with {@code sessions} idle scale sets, each with a session, of which {@code parked}
 * hold a long poll open (on a virtual thread that polls again as soon as a poll ends): the load a fleet of idle
 * listeners puts on the service. The server's thread pool has room for every session's poll whether parked or not,
 * so two runs differ only in the polls. {@link #client()} is a separate client for the requests being measured.
 * Everything binds 127.0.0.1.
 */
public final class ParkedPolls implements AutoCloseable {

    private final FakeGitHubServer server;
    private final ActionsClient client;
    private final List<JdkTransport> transports = new ArrayList<>();
    private final long scaleSetId;
    private final List<Thread> pollers = new ArrayList<>();
    private final AtomicInteger inFlight = new AtomicInteger();
    private volatile boolean closing;

    public ParkedPolls(int sessions, int parked, long seed) throws Exception {
        if (parked > sessions) {
            throw new IllegalArgumentException("parked polls (" + parked + ") need as many sessions, not " + sessions);
        }
        FakeGitHub fake = new FakeGitHub(new dev.arcsim.fake.time.SystemScheduler(), FakeGitHub.Options.defaults().withSeed(seed));
        server = new FakeGitHubServer(fake, 0, sessions + 32);   // a parked poll holds a server thread
        server.start();
        String url = server.baseUrl() + "/acme";
        JdkTransport transport = new JdkTransport(null, Map.of());
        JdkTransport idle = new JdkTransport(null, Map.of());
        transports.add(transport);
        transports.add(idle);
        SystemScheduler clock = new SystemScheduler();
        client = Rigs.client(transport, clock, url, Duration.ofSeconds(30), "arcsim-bench");
        scaleSetId = client.createScaleSet("measured", 1, List.of()).path("id").asLong();
        ActionsClient polling = Rigs.client(idle, clock, url, Duration.ofSeconds(120), "arcsim-bench-idle");
        for (int i = 0; i < sessions; i++) {
            long id = polling.createScaleSet("idle-" + i, 1, List.of()).path("id").asLong();
            MessageSession session = polling.createSession(id, "idle-" + i, false);
            if (i >= parked) {
                continue;
            }
            pollers.add(Thread.ofVirtual().name("idle-" + i).start(() -> {
                while (!closing) {
                    inFlight.incrementAndGet();
                    try {
                        polling.getMessage(session, 0, 10);
                    } catch (Exception e) {
                        if (closing) {
                            return;
                        }
                    } finally {
                        inFlight.decrementAndGet();
                    }
                }
            }));
        }
        long deadline = System.nanoTime() + Duration.ofSeconds(60).toNanos();
        while (inFlight.get() < parked || fake.state().counts().pollsInFlight() < parked) {
            if (System.nanoTime() > deadline) {
                close();
                throw new IllegalStateException(fake.state().counts().pollsInFlight() + " of " + parked
                        + " long polls parked after 60 s");
            }
            Thread.sleep(10);   // setting up, outside any measurement
        }
    }

    /** A client of its own, for the measured requests. */
    public ActionsClient client() {
        return client;
    }

    public long scaleSetId() {
        return scaleSetId;
    }

    @Override
    public void close() throws InterruptedException {
        closing = true;
        transports.forEach(JdkTransport::close);   // ends the parked polls and closes the connections
        for (Thread t : pollers) {
            t.join(Duration.ofSeconds(10));
        }
        server.close();
    }
}
