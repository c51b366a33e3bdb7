package dev.arcsim.controller;

import dev.arcsim.controller.cluster.ChangeFeed;
import dev.arcsim.controller.cluster.ObjectKey;
import dev.arcsim.controller.cluster.PassPlan;
import dev.arcsim.controller.crd.AutoscalingListener;
import dev.arcsim.controller.crd.AutoscalingRunnerSet;
import dev.arcsim.controller.crd.EphemeralRunner;
import dev.arcsim.controller.crd.EphemeralRunnerSet;
import dev.arcsim.controller.reconcile.AutoscalingListenerReconciler;
import dev.arcsim.controller.reconcile.AutoscalingRunnerSetReconciler;
import dev.arcsim.controller.reconcile.ControllerContext;
import dev.arcsim.controller.reconcile.EphemeralRunnerReconciler;
import dev.arcsim.controller.reconcile.EphemeralRunnerSetReconciler;
import dev.arcsim.controller.reconcile.Finalizers;
import dev.arcsim.controller.reconcile.RunnerSetTearDown;
import dev.arcsim.controller.reconcile.Labels;
import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.Secret;

import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Optional;
import java.util.Set;

/**
 * The reference controller: four reconcilers, each level-triggered and idempotent, run in passes over everything in
 * the cluster. A pass is cheap at the scale one controller serves, it needs no watch to be correct, and it waits
 * only through the scheduler, so the same controller runs on the wall clock and in virtual time. Given a feed that
 * names what changed (the simulated world's store has one), a pass looks only at the runners that changed or are
 * due again, as a work queue would, and at everything now and then.
 *
 * <p>Cleanup goes through finalizers, as ARC's does ({@link Finalizers}): a deleted AutoscalingRunnerSet stays,
 * terminating, while {@link RunnerSetTearDown} removes what it made in ARC's order (runners deregistered, the
 * listener stopped so it deletes its session, the scale set deleted), and a runner stays until it is deregistered.
 * So nothing is left registered whether or not the API server collects owned objects (a real one with
 * kube-controller-manager does, within some 70 ms; the embedded mock does not). A runner set that is gone without
 * its finalizer is torn down from its listener the same way.
 */
public final class Controller {

    private final ControllerContext ctx;
    private final Duration interval;
    private final ChangeFeed changes;
    private final Duration resync;
    private final Duration fullEvery;
    private final AutoscalingRunnerSetReconciler runnerSets;
    private final AutoscalingListenerReconciler listeners;
    private final EphemeralRunnerSetReconciler ephemeralRunnerSets;
    private final EphemeralRunnerReconciler ephemeralRunners;
    private final RunnerSetTearDown tearDown;
    private volatile boolean stopping;

    public Controller(ControllerContext ctx, Duration interval) {
        this(ctx, interval, ChangeFeed.NONE, interval);
    }

    /**
     * @param interval the least time between passes
     * @param changes  what wakes the loop: after a pass it rests until the cluster changes, at most {@code resync}
     *                 (time-driven work, such as a backoff running out, waits for that)
     */
    public Controller(ControllerContext ctx, Duration interval, ChangeFeed changes, Duration resync) {
        this(ctx, interval, changes, resync, resync);
    }

    /** @param fullEvery how often every runner is looked at when {@code changes} names what changed */
    public Controller(ControllerContext ctx, Duration interval, ChangeFeed changes, Duration resync, Duration fullEvery) {
        this.ctx = ctx;
        this.fullEvery = fullEvery;
        this.interval = interval;
        this.changes = changes;
        this.resync = resync;
        this.runnerSets = new AutoscalingRunnerSetReconciler(ctx);
        this.listeners = new AutoscalingListenerReconciler(ctx);
        this.ephemeralRunnerSets = new EphemeralRunnerSetReconciler(ctx);
        this.ephemeralRunners = new EphemeralRunnerReconciler(ctx);
        this.tearDown = new RunnerSetTearDown(ctx);
    }

    /**
     * Passes until {@link #stop()}; a pass that fails (the API server is away) is reported and the next one tries again.
     * When the feed names what changed, a pass looks at every scale set's own objects but only at the runners that
     * changed (or asked to be seen again), with a pass over everything each {@code fullEvery}.
     */
    public void run() {
        PassPlan plan = new PassPlan(changes, fullEvery);
        while (!stopping) {
            long seen = changes.version();
            try {
                pass(plan.next(ctx.now()), plan);
            } catch (RuntimeException e) {
                ctx.emit("pass-failed", "error", e.getClass().getSimpleName() + ": " + e.getMessage());
            }
            try {
                changes.rest(ctx.scheduler(), seen, interval, ChangeFeed.upTo(resync, ctx.now(), plan.due()));
            } catch (InterruptedException e) {
                return;
            }
        }
    }

    public void stop() {
        stopping = true;
    }

    /** One pass over every object; a failing object is reported and retried next pass, the others go on. */
    public void pass() {
        pass(Optional.empty(), new PassPlan(ChangeFeed.NONE, Duration.ZERO));
    }

    /** A pass over every scale set's objects and over {@code runners} (empty: every runner). */
    private void pass(Optional<Set<ObjectKey>> runners, PassPlan plan) {
        ephemeralRunners.newPass();
        for (AutoscalingRunnerSet ars : ctx.cluster().list(AutoscalingRunnerSet.class, null)) {
            guarded(ars, () -> runnerSets.reconcile(ars));
        }
        for (AutoscalingListener al : ctx.cluster().list(AutoscalingListener.class, ctx.settings().controllerNamespace())) {
            guarded(al, () -> {
                Optional<AutoscalingRunnerSet> ars = ctx.cluster().get(AutoscalingRunnerSet.class,
                        al.getSpec().autoscalingRunnerSetNamespace, al.getSpec().autoscalingRunnerSetName);
                if (ars.isPresent() && !Finalizers.terminating(ars.get())) {
                    listeners.reconcile(al);
                } else {
                    tearDown.step(al.getSpec().autoscalingRunnerSetNamespace, al.getSpec().ephemeralRunnerSetName, ars, Optional.of(al));
                }
            });
        }
        for (EphemeralRunnerSet ers : ctx.cluster().list(EphemeralRunnerSet.class, null)) {
            guarded(ers, () -> ephemeralRunnerSets.reconcile(ers));
        }
        // the runners the set reconciles just made (or removed) count as changed: a full pass would see them now
        Optional<Set<ObjectKey>> toLook = runners.map(keys -> {
            Set<ObjectKey> all = new java.util.LinkedHashSet<>(keys);
            all.addAll(plan.changedDuringPass());
            return all;
        });
        for (EphemeralRunner er : toLook.map(this::changedRunners).orElseGet(() -> ctx.cluster().list(EphemeralRunner.class, null))) {
            ObjectKey key = new ObjectKey(EphemeralRunner.class, er.getMetadata().getNamespace(), er.getMetadata().getName());
            boolean ok = guarded(er, () -> {
                String ersName = er.getMetadata().getLabels() == null ? null : er.getMetadata().getLabels().get(Labels.ERS_NAME);
                boolean orphan = ersName != null && !ctx.cluster().exists(EphemeralRunnerSet.class, key.namespace(), ersName);
                Optional<Instant> again = orphan || Finalizers.terminating(er) ? finishRunner(er) : ephemeralRunners.reconcile(er);
                again.ifPresent(at -> plan.again(key, at));
            });
            if (!ok) {
                plan.again(key, ctx.now());
            }
        }
    }

    /**
     * The runners whose object, pod or JIT Secret (all of one name) changed or are due again, and every runner of a
     * set that is gone (they are orphans now, to remove).
     */
    private List<EphemeralRunner> changedRunners(Set<ObjectKey> keys) {
        Set<ObjectKey> seen = new java.util.HashSet<>();
        List<EphemeralRunner> out = new java.util.ArrayList<>();
        for (ObjectKey k : keys) {
            if (k.type() == EphemeralRunnerSet.class && !ctx.cluster().exists(EphemeralRunnerSet.class, k.namespace(), k.name())) {
                for (EphemeralRunner er : EphemeralRunnerSetReconciler.runnersOf(ctx, k.namespace(), k.name())) {
                    if (seen.add(new ObjectKey(EphemeralRunner.class, k.namespace(), er.getMetadata().getName()))) {
                        out.add(er);
                    }
                }
                continue;
            }
            if (k.type() != EphemeralRunner.class && k.type() != Pod.class && k.type() != Secret.class) {
                continue;
            }
            ObjectKey runner = new ObjectKey(EphemeralRunner.class, k.namespace(), k.name());
            if (seen.add(runner)) {
                ctx.cluster().get(EphemeralRunner.class, k.namespace(), k.name()).ifPresent(out::add);
            }
        }
        return out;
    }

    @FunctionalInterface
    private interface Step {
        void run() throws Exception;
    }

    /** Runs one object's step; false when it failed (reported; the object is looked at again next pass). */
    private boolean guarded(HasMetadata o, Step step) {
        try {
            step.run();
            return true;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            stopping = true;
            return true;
        } catch (Exception e) {
            ctx.emit("reconcile-error", "kind", o.getKind(), "name", o.getMetadata().getNamespace() + "/" + o.getMetadata().getName(),
                    "error", e.getClass().getSimpleName() + ": " + e.getMessage());
            return false;
        }
    }

    /**
     * A runner whose set is gone, or that was deleted (by hand, or by the garbage collector after its set). One still
     * running a job in its pod goes through the runner reconciler, whose handling of the pod's end deregisters and
     * removes it; any other is deregistered and removed now (a runner still on a job server-side answers
     * JobStillRunning, and the next pass tries again). Its finalizer goes last, so it is never gone while registered.
     */
    private Optional<Instant> finishRunner(EphemeralRunner er) throws Exception {
        String ns = er.getMetadata().getNamespace();
        String name = er.getMetadata().getName();
        boolean podExists = ctx.cluster().exists(Pod.class, ns, name);
        if (er.getStatus() != null && er.getStatus().hasJob() && podExists) {
            return ephemeralRunners.reconcile(er);
        }
        if (!EphemeralRunnerSetReconciler.deregister(ctx, er)) {
            return Optional.of(ctx.now().plus(EphemeralRunnerReconciler.RETRY));
        }
        ctx.cluster().delete(Pod.class, ns, name);
        ctx.cluster().delete(Secret.class, ns, name);
        ctx.deleteRunner(er);
        return Optional.empty();
    }
}
