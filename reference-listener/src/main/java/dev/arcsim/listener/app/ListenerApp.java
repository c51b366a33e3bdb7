package dev.arcsim.listener.app;

import ch.qos.logback.classic.Level;
import ch.qos.logback.classic.LoggerContext;
import ch.qos.logback.classic.encoder.JsonEncoder;
import ch.qos.logback.classic.encoder.PatternLayoutEncoder;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.core.ConsoleAppender;
import ch.qos.logback.core.encoder.Encoder;
import dev.arcsim.listener.client.ActionsClient;
import dev.arcsim.listener.client.ConfigUrl;
import dev.arcsim.listener.client.GitHubAppJwt;
import dev.arcsim.listener.config.ConfigException;
import dev.arcsim.listener.config.ListenerConfig;
import dev.arcsim.listener.loop.Listener;
import dev.arcsim.listener.loop.ListenerEvents;
import dev.arcsim.listener.ops.Metrics;
import dev.arcsim.listener.ops.OpsServer;
import dev.arcsim.listener.policy.ListenerPolicy;
import dev.arcsim.listener.policy.PolicyFactory;
import dev.arcsim.listener.scaling.Fabric8RunnerSets;
import dev.arcsim.listener.scaling.RunnerSets;
import dev.arcsim.listener.session.Fabric8LeaderLease;
import dev.arcsim.listener.session.InMemorySessionStore;
import dev.arcsim.listener.session.LeaseSessionStore;
import dev.arcsim.listener.session.SessionStore;
import dev.arcsim.listener.time.Scheduler;
import dev.arcsim.listener.time.SystemScheduler;
import dev.arcsim.listener.wire.JdkTransport;
import dev.arcsim.listener.wire.Transport;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientBuilder;
import org.slf4j.LoggerFactory;

import java.io.IOException;
import java.net.InetAddress;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.SplittableRandom;
import java.util.UUID;

/**
 * Builds a listener from ARC's config and runs it as ARC's listener process runs: SIGTERM (or SIGINT) stops it
 * gracefully, deleting its session; the exit code is the policy's.
 */
public final class ListenerApp {

    private ListenerApp() {
    }

    /** What to wire a listener with; tests and the embedded world pass their own transport and cluster. */
    /** @param random the listener's jitter; a simulated world seeds it so a run replays exactly */
    public record Wiring(Transport transport, KubernetesClient kubernetes, RunnerSets runnerSets, SessionStore store,
                         Scheduler scheduler, ListenerEvents events, String owner, java.util.random.RandomGenerator random) {
        public Wiring(Transport transport, KubernetesClient kubernetes, RunnerSets runnerSets, SessionStore store,
                      Scheduler scheduler, ListenerEvents events, String owner) {
            this(transport, kubernetes, runnerSets, store, scheduler, events, owner, new SplittableRandom());
        }
    }

    /** The production wiring: JDK HTTP with ARC's proxy and CA settings, the current kubeconfig or in-cluster config. */
    public static Wiring defaultWiring(ListenerConfig config) {
        KubernetesClient kubernetes = new KubernetesClientBuilder().build();
        return new Wiring(new JdkTransport(config.serverRootCa(), System.getenv()), kubernetes,
                new Fabric8RunnerSets(kubernetes), store(config, kubernetes), new SystemScheduler(), new LoggingEvents(),
                owner());
    }

    public static SessionStore store(ListenerConfig config, KubernetesClient kubernetes) {
        return switch (config.stateStore()) {
            case "lease" -> new LeaseSessionStore(kubernetes, config.ephemeralRunnerSetNamespace(), config.runnerScaleSetId());
            case "memory" -> new InMemorySessionStore();
            default -> SessionStore.none();
        };
    }

    /** The session owner: the pod name (hostname), as ARC's listener uses, else a random id. */
    static String owner() {
        String host = System.getenv("HOSTNAME");
        if (host != null && !host.isBlank()) {
            return host;
        }
        try {
            return InetAddress.getLocalHost().getHostName();
        } catch (IOException e) {
            return UUID.randomUUID().toString();
        }
    }

    public static Listener build(ListenerConfig config, Wiring wiring, Metrics metrics) {
        ListenerPolicy policy = PolicyFactory.create(config.policy(), config.policyParameters());
        ConfigUrl url;
        try {
            url = ConfigUrl.parse(config.configureUrl());
        } catch (IllegalArgumentException e) {
            throw new ConfigException(e.getMessage());
        }
        ActionsClient.Credentials credentials;
        if (config.usesGitHubApp()) {
            long installation = config.githubAppInstallationId();
            try {
                credentials = new ActionsClient.Credentials.App(installation,
                        new GitHubAppJwt(config.githubAppId(), config.githubAppPrivateKey()));
            } catch (IllegalArgumentException e) {
                throw new ConfigException(e.getMessage());
            }
        } else {
            credentials = new ActionsClient.Credentials.Pat(config.githubToken());
        }
        String userAgent = "arcsim-listener (" + policy.name() + ") ScaleSetID/" + config.runnerScaleSetId();
        ActionsClient client = new ActionsClient(wiring.transport(), wiring.scheduler(), url, credentials,
                policy.requestTimeout(Duration.ofSeconds(config.requestTimeoutSeconds())), userAgent, System.getenv("GITHUB_ACTIONS_FORCE_GHES") != null);
        Map<String, String> labels = new LinkedHashMap<>();
        labels.put("enterprise", url.enterprise() == null ? "" : url.enterprise());
        labels.put("organization", url.organization() == null ? "" : url.organization());
        labels.put("repository", url.repository() == null ? "" : url.repository());
        labels.put("name", config.runnerScaleSetName());
        labels.put("namespace", config.ephemeralRunnerSetNamespace());
        Listener.Standby standby = !config.standby() ? null : new Listener.Standby(
                new Fabric8LeaderLease(wiring.kubernetes(), config.ephemeralRunnerSetNamespace(), config.runnerScaleSetId()),
                Duration.ofSeconds(config.leaseDurationSeconds()),
                Duration.ofMillis(Math.max(200, config.leaseDurationSeconds() * 1000 / 3)));
        Listener.Settings settings = new Listener.Settings(config.runnerScaleSetId(), config.runnerScaleSetName(),
                config.ephemeralRunnerSetNamespace(), config.ephemeralRunnerSetName(), config.minRunners(), config.maxRunners(),
                wiring.owner(), Duration.ofSeconds(config.shutdownTimeoutSeconds()), labels, standby);
        return new Listener(settings, policy, client, wiring.runnerSets(), wiring.store(), wiring.scheduler(),
                wiring.random(), wiring.events(), metrics);
    }

    /** Runs until SIGTERM/SIGINT or until the policy exits; answers the exit code. */
    public static int run(ListenerConfig config) throws IOException {
        configureLogging(config.logLevel(), config.logFormat());
        Wiring wiring = defaultWiring(config);
        Metrics metrics = new Metrics();
        Listener listener = build(config, wiring, metrics);
        OpsServer ops = config.metricsAddr().isEmpty() ? null
                : new OpsServer(config.metricsAddr(), config.metricsEndpoint(), metrics, listener::ready);
        Signals.onTermination(listener::stop);
        try {
            return listener.run();
        } finally {
            if (ops != null) {
                ops.close();
            }
            wiring.kubernetes().close();
        }
    }

    /** {@code log_level} and {@code log_format} (text or json), as ARC's listener takes them. */
    public static void configureLogging(String level, String format) {
        if (!(LoggerFactory.getILoggerFactory() instanceof LoggerContext context)) {
            return;
        }
        var root = context.getLogger(org.slf4j.Logger.ROOT_LOGGER_NAME);
        Encoder<ILoggingEvent> encoder;
        if ("json".equals(format)) {
            JsonEncoder json = new JsonEncoder();
            json.setContext(context);
            json.start();
            encoder = json;
        } else {
            PatternLayoutEncoder text = new PatternLayoutEncoder();
            text.setContext(context);
            text.setPattern("%d{yyyy-MM-dd'T'HH:mm:ss.SSSXXX} %-5level %logger{0} scaleSet=%X{scaleSet} session=%X{session} - %msg%n");
            text.start();
            encoder = text;
        }
        ConsoleAppender<ILoggingEvent> appender = new ConsoleAppender<>();
        appender.setContext(context);
        appender.setName("listener");
        appender.setEncoder(encoder);
        appender.start();
        root.detachAndStopAllAppenders();
        root.addAppender(appender);
        context.getLogger("dev.arcsim.listener").setLevel(Level.toLevel(level, Level.DEBUG));
    }
}
