package dev.arcsim.cli;

import dev.arcsim.controller.Controller;
import dev.arcsim.controller.cluster.Fabric8Cluster;
import dev.arcsim.controller.reconcile.ControllerContext;
import dev.arcsim.controller.reconcile.ServiceConnector;
import dev.arcsim.listener.app.ListenerApp;
import dev.arcsim.listener.app.LoggingEvents;
import dev.arcsim.listener.time.SystemScheduler;
import dev.arcsim.listener.wire.JdkTransport;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientBuilder;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

import java.time.Duration;
import java.util.List;
import java.util.SplittableRandom;
import java.util.concurrent.Callable;

/** {@code arcsim controller}: the reference controller against the current kubeconfig. */
@Command(name = "controller", mixinStandardHelpOptions = true,
        description = {"Run the reference controller against the current kubeconfig (or the in-cluster config):",
                "AutoscalingRunnerSets become scale sets, listeners and ephemeral runners, as ARC's controller makes them."})
public final class ControllerCommand implements Callable<Integer> {

    @Option(names = "--namespace", description = "Where listener pods and AutoscalingListeners go. Default: ${DEFAULT-VALUE}.",
            defaultValue = "arc-systems")
    String namespace;

    @Option(names = "--listener-image", description = "The listener container's image. Default: ${DEFAULT-VALUE}.",
            defaultValue = "arcsim:dev")
    String listenerImage;

    @Option(names = "--listener-command", split = ",",
            description = "The listener container's command, comma-separated. Default: ${DEFAULT-VALUE}.",
            defaultValue = "java,-jar,/opt/arcsim/arcsim.jar,listener")
    List<String> listenerCommand;

    @Option(names = "--interval", description = "Seconds between reconcile passes. Default: ${DEFAULT-VALUE}.", defaultValue = "2")
    double interval;

    @Override
    public Integer call() {
        if (interval <= 0) {
            throw new ArcsimCommand.UserError("--interval must be positive, got " + interval);
        }
        ListenerApp.configureLogging("info", "text");
        SystemScheduler clock = new SystemScheduler();
        try (KubernetesClient client = new KubernetesClientBuilder().build()) {
            ControllerContext ctx = new ControllerContext(new Fabric8Cluster(client),
                    new ServiceConnector(new JdkTransport("", System.getenv()), clock), clock, new SplittableRandom(),
                    new LoggingEvents(), new ControllerContext.Settings(namespace, listenerImage, listenerCommand));
            Controller controller = new Controller(ctx, Duration.ofMillis(Math.round(interval * 1000)));
            Runtime.getRuntime().addShutdownHook(new Thread(controller::stop, "arcsim-controller-shutdown"));
            controller.run();
        }
        return 0;
    }
}
