package dev.arcsim.world.arc;

import dev.arcsim.controller.kubelet.Spawner;
import dev.arcsim.listener.loop.ListenerEvents;
import dev.arcsim.world.process.Folders;
import dev.arcsim.world.process.ProcessPod;
import dev.arcsim.world.process.Sandbox;
import dev.arcsim.world.process.Scrubber;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Supplier;

/**
 * ARC's controller ({@code manager}) as its chart runs it, in scale-set mode: one process at a time, in a pod's
 * sandbox with the in-cluster config of the chart's service account (a token from TokenRequest, the cluster's CA,
 * the API server's address as {@code KUBERNETES_SERVICE_HOST}/{@code PORT}), so ARC's client goes through the same
 * fault front as everything else and is held to the chart's RBAC. Its output goes to {@code controller.<n>.log},
 * scrubbed. Stopping it is SIGTERM (SIGKILL after 10 s); a new one is a restart, as a Deployment's new pod is.
 */
public final class ArcController implements AutoCloseable {

    /** The chart's names for a release called "arc" (controller-rbac.yaml). */
    public static final String SERVICE_ACCOUNT = "arc-gha-rs-controller";

    private final ArcRelease release;
    private final String namespace;
    private final String caPem;
    private final int apiServerPort;
    private final Supplier<String> token;
    private final Path logs;
    private final Scrubber scrubber;
    private final ListenerEvents events;
    private final Path files;
    private final Spawner spawner = Spawner.threads();
    private int generation;
    private final java.util.concurrent.atomic.AtomicReference<String> startFailure = new java.util.concurrent.atomic.AtomicReference<>();
    private ProcessPod process;
    private Spawner.Handle handle;

    /**
     * @param namespace     the controller's namespace (its listener pods go there)
     * @param apiServerPort the API server's (or its fault front's) HTTPS port on 127.0.0.1
     * @param token         a new token of {@link #SERVICE_ACCOUNT} for each start
     */
    public ArcController(ArcRelease release, String namespace, String caPem, int apiServerPort, Supplier<String> token,
                         Path logs, Scrubber scrubber, ListenerEvents events) {
        this.release = release;
        this.namespace = namespace;
        this.caPem = caPem;
        this.apiServerPort = apiServerPort;
        this.token = token;
        this.logs = logs;
        this.scrubber = scrubber;
        this.events = events;
        try {
            Files.createDirectories(logs);
            files = Folders.privateTemp("arcsim-arc-controller-");
        } catch (IOException e) {
            throw new UncheckedIOException("cannot make the controller's folders: " + e.getMessage(), e);
        }
    }

    /** The chart's RBAC for ARC's controller (controller-rbac.yaml beside this class), created or updated. */
    public static void installRbac(io.fabric8.kubernetes.client.KubernetesClient client) {
        try (var in = ArcController.class.getResourceAsStream("controller-rbac.yaml")) {
            if (in == null) {
                throw new IllegalStateException("controller-rbac.yaml is not on the classpath");
            }
            for (var object : client.load(in).items()) {
                client.resource(object).createOr(existing -> existing.update());
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** The command line the chart's Deployment gives it with its default values, less what would listen off loopback. */
    List<String> arguments() {
        return List.of("--auto-scaling-runner-set-only", "--log-level=debug", "--log-format=text", "--metrics-addr=0",
                "--listener-metrics-addr=0");
    }

    /** Starts a controller process, when none runs. */
    public synchronized void start() {
        if (handle != null && handle.alive()) {
            return;
        }
        int n = ++generation;
        String pod = SERVICE_ACCOUNT + "-" + n;
        Path serviceAccount = files.resolve("serviceaccount." + n);
        String secret = token.get();
        scrubber.register(secret);
        try {
            Sandbox.writeServiceAccount(serviceAccount, secret, caPem, namespace);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot write the controller's service-account files: " + e.getMessage(), e);
        }
        Map<String, String> container = new LinkedHashMap<>();
        container.put("CONTROLLER_MANAGER_POD_NAMESPACE", namespace);
        container.put("CONTROLLER_MANAGER_CONTAINER_IMAGE", "ghcr.io/actions/gha-runner-scale-set-controller:" + release.version());
        Map<String, String> env = Sandbox.environment(container, apiServerPort);
        Path log = logs.resolve("controller." + n + ".log");
        ProcessPod p = new ProcessPod(pod, serviceAccount, release.manager(), arguments(), env, log,
                scrubber, () -> Folders.deleteQuietly(serviceAccount));
        process = p;
        handle = spawner.spawn("arc-controller-" + n, () -> {
            int code;
            try {
                code = p.run();
            } catch (InterruptedException e) {
                code = 143;
            }
            events.emit("arc-controller-exited", Map.of("generation", n, "exitCode", code));
            if (!p.stopped()) {
                startFailure.compareAndSet(null, "ARC's controller (" + release.manager() + ") exited with code " + code
                        + " unasked" + ProcessPod.said(log, true));
            }
        });
        events.emit("arc-controller-started", Map.of("generation", n, "version", release.version()));
    }

    /** SIGTERM, then SIGKILL if it is still running after 10 s; returns once it has ended. */
    public synchronized void stop() {
        if (handle == null) {
            return;
        }
        process.terminate();
        try {
            if (!handle.join(Duration.ofSeconds(10))) {
                process.kill();
                handle.join(Duration.ofSeconds(5));
            }
        } catch (InterruptedException e) {
            process.kill();
            Thread.currentThread().interrupt();
        }
        handle = null;
        process = null;
    }

    /**
     * Why the controller is not running though nobody stopped it: it exited by itself (a flag its version lacks, an
     * API server it cannot reach). Empty while it runs or was stopped.
     */
    public java.util.Optional<String> startFailure() {
        return java.util.Optional.ofNullable(startFailure.get());
    }

    @Override
    public void close() {
        stop();
        Folders.deleteQuietly(files);
    }
}
