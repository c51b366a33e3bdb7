package dev.arcsim.controller.reconcile;

import dev.arcsim.listener.client.ActionsClient;
import dev.arcsim.listener.client.ConfigUrl;
import dev.arcsim.listener.time.Scheduler;
import dev.arcsim.listener.wire.Transport;

import java.time.Duration;
import java.util.HashMap;
import java.util.Map;

/**
 * One Actions client per config URL and credentials, as ARC's multi-client caches them. The credentials come from
 * the AutoscalingRunnerSet's {@code githubConfigSecret} ({@code github_token}).
 */
public final class ServiceConnector {

    private final Transport transport;
    private final Scheduler scheduler;
    private final Map<String, ActionsClient> clients = new HashMap<>();

    public ServiceConnector(Transport transport, Scheduler scheduler) {
        this.transport = transport;
        this.scheduler = scheduler;
    }

    public synchronized ActionsClient client(String configUrl, String token) {
        return clients.computeIfAbsent(configUrl + "\u0000" + token, k -> new ActionsClient(transport, scheduler,
                ConfigUrl.parse(configUrl), new ActionsClient.Credentials.Pat(token), Duration.ofSeconds(60),
                "arcsim-controller", System.getenv("GITHUB_ACTIONS_FORCE_GHES") != null));
    }
}
