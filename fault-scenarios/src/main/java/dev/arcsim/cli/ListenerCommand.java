package dev.arcsim.cli;

import dev.arcsim.listener.app.ListenerApp;
import dev.arcsim.listener.config.ConfigException;
import dev.arcsim.listener.config.ListenerConfig;
import dev.arcsim.listener.policy.PolicyFactory;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

import java.nio.file.Path;
import java.util.concurrent.Callable;

/** {@code arcsim listener}: the reference listener, in place of ARC's {@code /ghalistener}. */
@Command(name = "listener", mixinStandardHelpOptions = true,
        description = {"Run the reference listener with ARC's listener config.json, in place of ARC's /ghalistener.",
                "Uses the current kubeconfig, or the in-cluster config in a pod. SIGTERM deletes the session and exits."})
public final class ListenerCommand implements Callable<Integer> {

    @Option(names = "--config", paramLabel = "FILE",
            description = "ARC's listener config.json (default: $LISTENER_CONFIG_PATH, as ARC's listener reads it).")
    Path config;

    @Option(names = "--policy", paramLabel = "NAME",
            description = "resilient (default), arc-legacy or arc-current; overrides arcsim_policy in the config.")
    String policy;

    @Option(names = "--state-store", paramLabel = "STORE",
            description = "lease (default), memory or none; overrides arcsim_state_store in the config.")
    String stateStore;

    @Option(names = "--standby",
            description = "Run as one of several replicas: only the holder of the leader Lease polls; the others stand by.")
    boolean standby;

    @Override
    public Integer call() throws Exception {
        Path file = config;
        if (file == null) {
            String env = System.getenv("LISTENER_CONFIG_PATH");
            if (env == null || env.isBlank()) {
                throw new ArcsimCommand.UserError("Error: LISTENER_CONFIG_PATH environment variable is not set; "
                        + "set it or pass --config FILE");
            }
            file = Path.of(env);
        }
        ListenerConfig cfg;
        try {
            cfg = ListenerConfig.read(file);
            if (policy != null) {
                cfg = cfg.withPolicy(policy);
            }
            if (stateStore != null) {
                cfg = cfg.withStateStore(stateStore);
            }
            if (standby) {
                cfg = cfg.withStandby(true);
                cfg.validate(file.toString());
            }
            PolicyFactory.create(cfg.policy(), cfg.policyParameters());
        } catch (ConfigException e) {
            throw new ArcsimCommand.UserError(e.getMessage());
        }
        return ListenerApp.run(cfg);
    }
}
