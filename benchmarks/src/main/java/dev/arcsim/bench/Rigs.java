package dev.arcsim.bench;

import dev.arcsim.listener.client.ActionsClient;
import dev.arcsim.listener.client.ConfigUrl;
import dev.arcsim.listener.config.ListenerConfig;
import dev.arcsim.listener.scaling.RunnerSets;
import dev.arcsim.listener.time.Scheduler;
import dev.arcsim.listener.wire.Transport;

import java.io.IOException;
import java.time.Duration;

/** What the benchmark rigs set up alike: a client of fake-github, a listener's config, a scaler that counts. */
final class Rigs {

    /** Any PAT works against the fake; this one is the benchmarks'. */
    static final String TOKEN = "ghp_bench_token";
    static final String NAMESPACE = "arc-runners";

    private Rigs() {
    }

    /** A client of the fake at {@code url} (an organisation's config URL) with the benchmarks' token. */
    static ActionsClient client(Transport transport, Scheduler scheduler, String url, Duration timeout, String userAgent) {
        return new ActionsClient(transport, scheduler, ConfigUrl.parse(url), new ActionsClient.Credentials.Pat(TOKEN),
                timeout, userAgent, false);
    }

    /** ARC's config.json for a listener of scale set {@code id} named {@code set}: resilient, its state in memory. */
    static ListenerConfig listenerConfig(String url, String set, long id) {
        return ListenerConfig.parse("""
                {"configure_url":"%s","github_token":"%s","ephemeral_runner_set_namespace":"%s",
                 "ephemeral_runner_set_name":"%s","min_runners":0,"runner_scale_set_id":%d,
                 "runner_scale_set_name":"%s","arcsim_policy":"resilient","arcsim_state_store":"memory"}
                """.formatted(url, TOKEN, NAMESPACE, set, id, set), "bench/config.json");
    }

    /**
     * The listener's scaler in a rig: it records the replicas asked for and passes them on to {@code next} (null: to
     * nothing, no cluster); a runner's job is always taken, there being no runners.
     */
    static final class CountingRunnerSets implements RunnerSets {
        private final RunnerSets next;
        private int replicas;
        private long patches;

        CountingRunnerSets(RunnerSets next) {
            this.next = next;
        }

        @Override
        public void patchReplicas(String namespace, String name, int n, int patchId) throws IOException {
            if (next != null) {
                next.patchReplicas(namespace, name, n, patchId);
            }
            synchronized (this) {
                replicas = n;
                patches++;
                notifyAll();
            }
        }

        @Override
        public boolean patchRunnerJob(String namespace, String runnerName, StartedJob job) {
            return true;
        }

        synchronized int replicas() {
            return replicas;
        }

        synchronized long patches() {
            return patches;
        }

        /** Waits on the wall clock until the replicas reach {@code target}; fails after {@code bound}. */
        synchronized int awaitReplicas(int target, Duration bound) throws InterruptedException {
            long deadline = System.nanoTime() + bound.toNanos();
            while (replicas < target) {
                long left = deadline - System.nanoTime();
                if (left <= 0) {
                    throw new IllegalStateException("the listener scaled to " + replicas + ", not " + target + ", in " + bound);
                }
                wait(Math.max(1, left / 1_000_000));
            }
            return replicas;
        }
    }
}
