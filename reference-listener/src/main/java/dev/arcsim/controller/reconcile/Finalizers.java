package dev.arcsim.controller.reconcile;

import dev.arcsim.controller.cluster.Cluster;
import io.fabric8.kubernetes.api.model.HasMetadata;

import java.util.ArrayList;
import java.util.List;

/**
 * The controller's finalizers, ARC's names (CONTROLLER.md §B.7). A runner set holds its own until everything it made
 * is gone; a runner holds its own until it is deregistered. An API server that collects owned objects (a real one,
 * with kube-controller-manager) would otherwise remove runners, their pods and Secrets some 70 ms after their set,
 * before the controller could deregister them (REAL-CLUSTER.md), and deleting a runner by hand would leak it too.
 */
public final class Finalizers {

    public static final String RUNNER_SET = "autoscalingrunnerset.actions.github.com/finalizer";
    public static final String RUNNER = "ephemeralrunner.actions.github.com/finalizer";

    private Finalizers() {
    }

    /** Deleted, but held by a finalizer. */
    public static boolean terminating(HasMetadata o) {
        return o.getMetadata().getDeletionTimestamp() != null;
    }

    public static boolean holds(HasMetadata o, String finalizer) {
        return o.getMetadata().getFinalizers() != null && o.getMetadata().getFinalizers().contains(finalizer);
    }

    /** Adds {@code finalizer} to the object in hand (it is written with the object's next update). */
    public static void hold(HasMetadata o, String finalizer) {
        if (!holds(o, finalizer)) {
            List<String> all = new ArrayList<>(o.getMetadata().getFinalizers() == null ? List.of() : o.getMetadata().getFinalizers());
            all.add(finalizer);
            o.getMetadata().setFinalizers(all);
        }
    }

    /** Takes {@code finalizer} off; a terminating object with no other finalizer is then removed by the API server. */
    public static void release(Cluster cluster, HasMetadata o, String finalizer) {
        if (!holds(o, finalizer)) {
            return;
        }
        try {
            cluster.update(without(o, finalizer));
        } catch (Cluster.Conflict stale) {
            // the copy in hand was read before a status write of this pass: take the finalizer off the newest one
            cluster.get(o.getClass(), o.getMetadata().getNamespace(), o.getMetadata().getName())
                    .filter(fresh -> holds(fresh, finalizer))
                    .ifPresent(fresh -> cluster.update(without(fresh, finalizer)));
        }
    }

    private static HasMetadata without(HasMetadata o, String finalizer) {
        List<String> rest = new ArrayList<>(o.getMetadata().getFinalizers());
        rest.remove(finalizer);
        o.getMetadata().setFinalizers(rest);
        return o;
    }
}
