package dev.arcsim.world.process;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.arcsim.controller.kubelet.PodProcess;
import io.fabric8.kubernetes.api.model.EnvVar;
import io.fabric8.kubernetes.api.model.Pod;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.SecureRandom;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.LongSupplier;

/**
 * Listener pods as processes of a user's listener binary, given what a kubelet gives a pod: the config Secret as
 * {@code config.json} and {@code LISTENER_CONFIG_PATH}, {@code KUBERNETES_SERVICE_HOST}/{@code PORT} of the API
 * server's TLS front, and a service-account folder ({@code token}, {@code ca.crt}, {@code namespace}) of its own.
 * Each pod's output goes to {@code <pod>.<n>.log} in the log folder, scrubbed of secrets.
 */
public final class ListenerProcesses implements AutoCloseable {

    private static final ObjectMapper JSON = new ObjectMapper();

    /** ARC 0.8's spelling of each key the controller writes (its listener config struct's json tags). */
    static final Map<String, String> CAMEL_CASE = Map.ofEntries(
            Map.entry("configure_url", "configureUrl"), Map.entry("github_token", "token"),
            Map.entry("app_id", "appID"), Map.entry("app_installation_id", "appInstallationID"),
            Map.entry("app_private_key", "appPrivateKey"),
            Map.entry("ephemeral_runner_set_namespace", "ephemeralRunnerSetNamespace"),
            Map.entry("ephemeral_runner_set_name", "ephemeralRunnerSetName"),
            Map.entry("max_runners", "maxRunners"), Map.entry("min_runners", "minRunners"),
            Map.entry("runner_scale_set_id", "runnerScaleSetId"), Map.entry("runner_scale_set_name", "runnerScaleSetName"),
            Map.entry("server_root_ca", "serverRootCA"), Map.entry("log_level", "logLevel"),
            Map.entry("log_format", "logFormat"), Map.entry("metrics_addr", "metricsAddr"),
            Map.entry("metrics_endpoint", "metricsEndpoint"));

    private final ListenerBinary binary;
    private final String caPem;
    private final int apiServerPort;
    private final Path podFiles;
    private final Path logs;
    private final Scrubber scrubber;
    private final LongSupplier sessionRequests;
    private final Map<String, AtomicInteger> instances = new java.util.concurrent.ConcurrentHashMap<>();
    private final AtomicReference<String> startFailure = new AtomicReference<>();
    private final SecureRandom random = new SecureRandom();
    private final java.util.function.Function<Pod, String> tokens;

    /**
     * @param apiServerPort   the API server's HTTPS port on 127.0.0.1
     * @param logs            where each pod's output goes (made if missing)
     * @param sessionRequests how many session creates the service has seen: a listener that exits before the first
     *                        one did not start at all
     */
    public ListenerProcesses(ListenerBinary binary, String caPem, int apiServerPort, Path logs, Scrubber scrubber,
                             LongSupplier sessionRequests) {
        this(binary, caPem, apiServerPort, logs, scrubber, sessionRequests, null);
    }

    /**
     * @param tokens a pod's service-account token (a real API server's TokenRequest); null: a random one, which the
     *               embedded mock takes from anyone
     */
    public ListenerProcesses(ListenerBinary binary, String caPem, int apiServerPort, Path logs, Scrubber scrubber,
                             LongSupplier sessionRequests, java.util.function.Function<Pod, String> tokens) {
        this.tokens = tokens;
        this.binary = binary;
        this.caPem = caPem;
        this.apiServerPort = apiServerPort;
        this.logs = logs;
        this.scrubber = scrubber;
        this.sessionRequests = sessionRequests;
        try {
            Files.createDirectories(logs);
            this.podFiles = Folders.privateTemp("arcsim-pods-");
        } catch (IOException e) {
            throw new UncheckedIOException("cannot make the pods' folders: " + e.getMessage(), e);
        }
    }

    public ListenerBinary binary() {
        return binary;
    }

    public Path logs() {
        return logs;
    }

    /**
     * Why the binary could not run at all: it ended before any listener asked the service for a session. Empty while
     * that has not happened.
     */
    public Optional<String> startFailure() {
        return Optional.ofNullable(startFailure.get());
    }

    /** The process for a listener pod, whose config.json (the Secret's text) the kubelet read. */
    public PodProcess forPod(Pod pod, String configJson) {
        String ns = pod.getMetadata().getNamespace();
        String name = pod.getMetadata().getName();
        int n = instances.computeIfAbsent(ns + "/" + name, k -> new AtomicInteger()).incrementAndGet();
        Path dir = podFiles.resolve(name + "." + n);
        Path serviceAccount = dir.resolve("serviceaccount");
        Path config = dir.resolve("config.json");
        String token = tokens != null ? tokens.apply(pod) : "arcsim-sa-" + HexFormat.of().formatHex(bytes(24));
        scrubber.register(token);
        try {
            JsonNode parsed = JSON.readTree(configJson);
            scrubber.register(parsed.path("github_token").asText(null));
            scrubber.register(parsed.path("token").asText(null));   // ARC 0.8's controller writes the PAT under this key
            Sandbox.writeServiceAccount(serviceAccount, token, caPem, ns);
            Folders.writePrivate(config, forBinary(parsed));
        } catch (IOException e) {
            throw new UncheckedIOException("cannot write the files of pod " + ns + "/" + name + ": " + e.getMessage(), e);
        }
        Map<String, String> container = new LinkedHashMap<>();
        for (var c : pod.getSpec().getContainers()) {
            for (EnvVar e : c.getEnv()) {
                if (e.getValue() != null) {
                    container.put(e.getName(), e.getValue());
                }
            }
        }
        container.put("LISTENER_CONFIG_PATH", config.toString());
        Map<String, String> env = Sandbox.environment(container, apiServerPort);
        Path log = logs.resolve(name + "." + n + ".log");
        ProcessPod process = new ProcessPod(name, serviceAccount, binary.path(), env, log, scrubber, () -> Folders.deleteQuietly(dir));
        return new PodProcess() {
            @Override
            public int run() throws InterruptedException {
                int code = process.run();
                if (sessionRequests.getAsLong() == 0) {
                    startFailure.compareAndSet(null, binary.path() + " exited with code " + code
                            + " before it asked for a session" + ProcessPod.said(log, false));
                }
                return code;
            }

            @Override
            public void terminate() {
                process.terminate();
            }

            @Override
            public void kill() {
                process.kill();
            }
        };
    }

    /** The Secret's config.json as the binary reads it: ARC 0.8 gets its camelCase keys. */
    private String forBinary(JsonNode config) {
        if (binary.configKeys() == ListenerBinary.ConfigKeys.SNAKE_CASE || !(config instanceof ObjectNode o)) {
            return config.toString();
        }
        ObjectNode camel = JSON.createObjectNode();
        o.fields().forEachRemaining(f -> camel.set(CAMEL_CASE.getOrDefault(f.getKey(), f.getKey()), f.getValue()));
        return camel.toString();
    }

    private byte[] bytes(int n) {
        byte[] b = new byte[n];
        random.nextBytes(b);
        return b;
    }

    /** Removes every pod's files (the processes are the kubelet's to stop). */
    @Override
    public void close() {
        Folders.deleteQuietly(podFiles);
    }
}
