package dev.arcsim.controller.kubelet;

import dev.arcsim.controller.cluster.ChangeFeed;
import dev.arcsim.controller.cluster.Cluster;
import dev.arcsim.controller.cluster.ObjectKey;
import dev.arcsim.controller.cluster.PassPlan;
import dev.arcsim.listener.loop.ListenerEvents;
import dev.arcsim.listener.time.Scheduler;
import io.fabric8.kubernetes.api.model.ContainerStatusBuilder;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.PodStatusBuilder;

import java.time.Duration;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicReference;

/**
 * The kubelet of the embedded world: it starts a process for each new pod, reports it Running, and when the process
 * ends writes the container's exit code and the pod's phase, as a kubelet would. A pod deleted while its process runs
 * gets SIGTERM. {@link #kill} (SIGKILL: no cleanup, exit 137) and {@link #evict} are what fault scenarios call.
 */
public final class SimulatedKubelet {

    /** Makes the process for a pod: the reference listener, a simulated runner, or nothing this kubelet knows. */
    @FunctionalInterface
    public interface Processes {
        Optional<PodProcess> forPod(Pod pod) throws Exception;
    }

    /**
     * What a kubelet on a Node does beyond running containers: binds each pod it starts to its Node and keeps the Node
     * alive, so the API server deletes its pods gracefully (a deleted pod gets a deletionTimestamp, and goes only when
     * this kubelet, its containers ended, deletes it with grace 0). Without one, as on the embedded mock, a deleted
     * pod is gone at once and its process gets SIGTERM then.
     */
    public interface Node {
        /** Binds an unbound pod to this Node (pods/binding). */
        void bind(Pod pod);

        /** Deletes a terminating pod whose containers have ended (grace period 0). */
        void deleteNow(Pod pod);

        /** Called every pass: renews the Node's heartbeat when it is due. */
        void heartbeat();
    }

    /** One pod instance's process; its exit and kill mark are its own, not its name's (a new pod may reuse the name). */
    private record Running(String uidOrVersion, PodProcess process, Spawner.Handle handle, String container,
                           AtomicReference<Integer> exit, AtomicBoolean killed, String startedAt) {
    }

    private final Cluster cluster;
    private final Scheduler scheduler;
    private final Spawner spawner;
    private final Processes processes;
    private final ListenerEvents events;
    private final Map<String, Running> running = new ConcurrentHashMap<>();
    /** Processes sent SIGTERM, with when they get SIGKILL if still running. */
    private final Map<Running, java.time.Instant> terminating = new LinkedHashMap<>();
    private volatile boolean stopping;
    private final Node node;

    public SimulatedKubelet(Cluster cluster, Scheduler scheduler, Spawner spawner, Processes processes, ListenerEvents events) {
        this(cluster, scheduler, spawner, processes, events, null);
    }

    /** A kubelet on {@code node}: its pods are bound to it and deleted gracefully (see {@link Node}). */
    public SimulatedKubelet(Cluster cluster, Scheduler scheduler, Spawner spawner, Processes processes, ListenerEvents events,
                            Node node) {
        this.node = node;
        this.cluster = cluster;
        this.scheduler = scheduler;
        this.spawner = spawner;
        this.processes = processes;
        this.events = events;
    }

    public void run(Duration interval) {
        run(interval, ChangeFeed.NONE, interval);
    }

    /**
     * Passes until stopped, at least {@code interval} apart; between passes it rests until {@code changes} moves (a
     * pod written, a process ended), at most {@code resync}.
     */
    public void run(Duration interval, ChangeFeed changes, Duration resync) {
        run(interval, changes, resync, resync);
    }

    /**
     * As {@link #run(Duration, ChangeFeed, Duration)}; when {@code changes} names what changed, a pass looks only at
     * the pods that changed, whose process ended or that are due again, and at every pod each {@code fullEvery}.
     */
    public void run(Duration interval, ChangeFeed changes, Duration resync, Duration fullEvery) {
        PassPlan plan = new PassPlan(changes, fullEvery);
        while (!stopping) {
            long seen = changes.version();
            try {
                Optional<Set<ObjectKey>> keys = plan.next(scheduler.now());
                if (keys.isEmpty()) {
                    pass();
                } else {
                    pass(keys.get(), plan);
                }
            } catch (RuntimeException e) {
                events.emit("kubelet-pass-failed", Map.of("error", e.getClass().getSimpleName() + ": " + e.getMessage()));
            }
            try {
                changes.rest(scheduler, seen, interval, ChangeFeed.upTo(resync, scheduler.now(), plan.due()));
            } catch (InterruptedException e) {
                return;
            }
        }
        running.values().forEach(r -> r.process().terminate());
    }

    /**
     * A pass over the pods that changed and those whose process ended; one whose status write fails is looked at
     * again next pass, and one in its grace period when the grace runs out.
     */
    private synchronized void pass(Set<ObjectKey> changed, PassPlan plan) {
        Set<ObjectKey> pods = new java.util.LinkedHashSet<>();
        for (ObjectKey k : changed) {
            if (k.type() == Pod.class) {
                pods.add(k);
            }
        }
        running.forEach((key, r) -> {
            if (r.exit().get() != null) {
                int slash = key.indexOf('/');
                pods.add(new ObjectKey(Pod.class, key.substring(0, slash), key.substring(slash + 1)));
            }
        });
        for (ObjectKey k : pods) {
            String key = k.namespace() + "/" + k.name();
            try {
                Optional<Pod> pod = cluster.get(Pod.class, k.namespace(), k.name());
                if (pod.isPresent()) {
                    sync(pod.get(), key);
                } else if (running.containsKey(key)) {
                    sigterm(running.remove(key));
                }
            } catch (RuntimeException e) {
                plan.again(k, scheduler.now());
            }
        }
        killAfterGrace();
        heartbeat();
        terminating.values().forEach(plan::passBy);   // no pod changes when a grace runs out: the SIGKILL needs a pass
    }

    public void stop() {
        stopping = true;
    }

    /**
     * One look at every pod: start new ones, report ended ones, SIGTERM the processes of deleted ones. A pod's status
     * is written until the API server takes it: a process that started or ended while a write failed is reported on
     * a later pass, as a kubelet keeps syncing a pod's status. One pod failing does not stop the others.
     */
    public synchronized void pass() {
        Set<String> present = new HashSet<>();
        RuntimeException failed = null;
        for (Pod pod : cluster.list(Pod.class, null)) {
            String key = key(pod);
            present.add(key);
            try {
                sync(pod, key);
            } catch (RuntimeException e) {
                failed = failed == null ? e : failed;
            }
        }
        for (String key : Set.copyOf(running.keySet())) {
            if (!present.contains(key)) {
                sigterm(running.remove(key));   // the pod was deleted
            }
        }
        killAfterGrace();
        heartbeat();
        if (failed != null) {
            throw failed;
        }
    }

    private void sync(Pod pod, String key) {
        Running r = running.get(key);
        if (r != null && !r.uidOrVersion().equals(identity(pod))) {
            // same name, new pod: the old one's process goes
            r.process().terminate();
            running.remove(key);
            r = null;
        }
        if (node != null && pod.getMetadata().getDeletionTimestamp() != null) {
            terminate(pod, key, r);
            return;
        }
        String phase = pod.getStatus() == null ? null : pod.getStatus().getPhase();
        boolean notStarted = phase == null || phase.equals("Pending");
        if (r == null) {
            if (notStarted) {
                start(pod, key);
            }
        } else if (r.exit().get() != null && (notStarted || "Running".equals(phase))) {
            report(pod, r.container(), r.exit().get());
        } else if (notStarted) {
            markRunning(pod, r);   // the write that said so failed
        }
    }

    /**
     * A pod being deleted gracefully: its process gets SIGTERM (SIGKILL after the grace), and once it has ended the
     * pod's last status is written and the pod deleted, as a kubelet finishes a pod.
     */
    private void terminate(Pod pod, String key, Running r) {
        if (r != null && r.exit().get() == null) {
            if (!terminating.containsKey(r)) {
                emit("pod-terminating", key);
                sigterm(r);
            }
            return;
        }
        if (r != null) {
            running.remove(key);
            try {
                report(pod, r.container(), r.exit().get());
            } catch (RuntimeException e) {
                // the pod goes either way; its last status is only for whoever watches it go
            }
        }
        node.deleteNow(pod);
    }

    private void heartbeat() {
        if (node != null) {
            try {
                node.heartbeat();
            } catch (RuntimeException e) {
                events.emit("node-heartbeat-failed", Map.of("error", String.valueOf(e.getMessage())));
            }
        }
    }

    private void start(Pod pod, String key) {
        if (node != null && (pod.getSpec() == null || pod.getSpec().getNodeName() == null)) {
            node.bind(pod);
        }
        Optional<PodProcess> process;
        try {
            process = processes.forPod(pod);
        } catch (Exception e) {
            emit("pod-start-failed", key, "error", e.getMessage());
            report(pod, container(pod), 128);
            return;
        }
        if (process.isEmpty()) {
            return;
        }
        PodProcess p = process.get();
        String container = container(pod);
        AtomicReference<Integer> exit = new AtomicReference<>();
        AtomicBoolean killed = new AtomicBoolean();
        Spawner.Handle handle = spawner.spawn("pod-" + key, () -> {
            int code;
            try {
                code = p.run();
            } catch (InterruptedException e) {
                code = 143;
            } catch (RuntimeException e) {
                code = 1;
            }
            exit.set(killed.get() ? 137 : code);   // SIGKILL: 128 + 9, whatever the process meant to return
        });
        Running r = new Running(identity(pod), p, handle, container, exit, killed, scheduler.now().toString());
        running.put(key, r);
        emit("pod-started", key);
        markRunning(pod, r);
    }

    private void markRunning(Pod pod, Running r) {
        pod.setStatus(new PodStatusBuilder().withPhase("Running")
                .withContainerStatuses(new ContainerStatusBuilder().withName(r.container()).withReady(true)
                        .withNewState().withNewRunning().withStartedAt(r.startedAt()).endRunning().endState().build())
                .build());
        cluster.updateStatus(pod);
    }

    private void report(Pod pod, String container, int exitCode) {
        pod.setStatus(new PodStatusBuilder().withPhase(exitCode == 0 ? "Succeeded" : "Failed")
                .withContainerStatuses(new ContainerStatusBuilder().withName(container).withReady(false)
                        .withNewState().withNewTerminated().withExitCode(exitCode)
                        .withReason(exitCode == 0 ? "Completed" : "Error").withFinishedAt(scheduler.now().toString())
                        .endTerminated().endState().build())
                .build());
        cluster.updateStatus(pod);
        emit("pod-ended", key(pod), "exitCode", exitCode);
    }

    /**
     * SIGTERM, as a kubelet stops a container: the process ends itself (a listener deletes its session on the way
     * out); one still running after {@link #GRACE} gets SIGKILL. Interrupting it at once, as this kubelet did, could
     * cut that cleanup short (a listener's session delete, interrupted, left the session to its orphan TTL).
     */
    private void sigterm(Running r) {
        r.process().terminate();
        terminating.putIfAbsent(r, scheduler.now().plus(GRACE));
    }

    private void killAfterGrace() {
        for (var it = terminating.entrySet().iterator(); it.hasNext(); ) {
            var e = it.next();
            Running r = e.getKey();
            if (!r.handle().alive()) {
                it.remove();
            } else if (!scheduler.now().isBefore(e.getValue())) {
                r.killed().set(true);
                r.process().kill();
                r.handle().interrupt();
                it.remove();
            }
        }
    }

    /** How long a stopping container has between SIGTERM and SIGKILL (terminationGracePeriodSeconds, shortened). */
    static final java.time.Duration GRACE = java.time.Duration.ofSeconds(5);

    /** SIGKILL: the process ends now and cleans nothing up; the pod fails with exit 137. */
    public synchronized boolean kill(String namespace, String name) {
        Running r = running.get(namespace + "/" + name);
        if (r == null) {
            return false;
        }
        r.killed().set(true);
        r.process().kill();
        r.handle().interrupt();
        emit("pod-killed", namespace + "/" + name);
        return true;
    }

    /** Eviction: the pod is marked Evicted and its process gets SIGTERM. */
    public synchronized boolean evict(String namespace, String name) {
        Optional<Pod> pod = cluster.get(Pod.class, namespace, name);
        Running r = running.get(namespace + "/" + name);
        if (pod.isEmpty() || r == null) {
            return false;
        }
        sigterm(r);
        Pod p = pod.get();
        p.setStatus(new PodStatusBuilder().withPhase("Failed").withReason("Evicted")
                .withMessage("The node was low on resource: memory.").build());
        emit("pod-evicted", namespace + "/" + name);
        try {
            cluster.updateStatus(p);
        } catch (RuntimeException e) {
            // the process is going either way; a later pass reports its exit
            emit("pod-status-failed", namespace + "/" + name, "error", e.getMessage());
        }
        return true;
    }

    /**
     * After {@link #stop}: waits for every process to end, at most {@code bound} in all, and sends SIGKILL to those
     * still running then. A process that holds an OS resource (a listener binary) must not outlive its world.
     */
    public void awaitProcessesEnded(Duration bound) throws InterruptedException {
        java.time.Instant deadline = scheduler.now().plus(bound);
        List<Running> all = new java.util.ArrayList<>(running.values());
        synchronized (this) {
            all.addAll(terminating.keySet());
        }
        for (Running r : all) {
            Duration left = Duration.between(scheduler.now(), deadline);
            if (left.isNegative() || !r.handle().join(left)) {
                r.killed().set(true);
                r.process().kill();
                r.handle().interrupt();
                r.handle().join(Duration.ofSeconds(5));
            }
        }
    }

    public int runningProcesses() {
        return (int) running.values().stream().filter(r -> r.handle().alive()).count();
    }

    private static String key(Pod pod) {
        return pod.getMetadata().getNamespace() + "/" + pod.getMetadata().getName();
    }

    private static String identity(Pod pod) {
        String uid = pod.getMetadata().getUid();
        return uid != null ? uid : String.valueOf(pod.getMetadata().getCreationTimestamp());
    }

    private static String container(Pod pod) {
        return pod.getSpec() == null || pod.getSpec().getContainers().isEmpty() ? "main"
                : pod.getSpec().getContainers().get(0).getName();
    }

    private void emit(String type, String pod, Object... kv) {
        Map<String, Object> fields = new LinkedHashMap<>();
        fields.put("pod", pod);
        for (int i = 0; i + 1 < kv.length; i += 2) {
            fields.put((String) kv[i], kv[i + 1]);
        }
        events.emit(type, fields);
    }
}
