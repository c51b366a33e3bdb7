package dev.arcsim.sim;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.Deque;
import java.util.List;
import java.util.PriorityQueue;
import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;

/**
 * Virtual time for a simulated world: every actor (the fake's long polls, a listener, a runner) is a thread, but
 * exactly one runs at a time. An actor runs until it waits through this scheduler (a sleep, a wait for a change);
 * then the next ready actor runs, in the order they became ready; when none is ready, time jumps to the earliest
 * wake-up. Nothing reads the wall clock, so a run is a pure function of its inputs and seed, and an hour of
 * protocol time passes in the milliseconds its work takes.
 *
 * <p>It is both the fake's and the listener's {@code Scheduler}. Code run under it must wait only through it: a
 * real sleep or a lock held across a wait would stall the world (the fake and the listener do neither).
 */
public final class VirtualTime implements dev.arcsim.fake.time.Scheduler, dev.arcsim.listener.time.Scheduler {

    /** One thread of the world. Fields are guarded by the world's monitor. */
    private static final class Actor {
        final String name;
        final long id;
        final Semaphore baton = new Semaphore(0);
        Instant wakeAt;
        long wakeOrder;
        Signal waitingOn;
        boolean interrupted;
        boolean done;
        volatile Thread thread;

        Actor(String name, long id) {
            this.name = name;
            this.id = id;
        }
    }

    private final Object monitor = new Object();
    private final PriorityQueue<Actor> timers = new PriorityQueue<>(
            Comparator.comparing((Actor a) -> a.wakeAt).thenComparingLong(a -> a.wakeOrder));
    private final Deque<Actor> ready = new ArrayDeque<>();
    private final List<Actor> actors = new ArrayList<>();
    private final ThreadLocal<Actor> current = new ThreadLocal<>();
    private final Semaphore idle = new Semaphore(0);
    private Instant now;
    private Instant limit;
    private long nextId;
    private long order;
    private boolean running;
    private RuntimeException failure;

    public VirtualTime(Instant start) {
        this.now = start;
    }

    @Override
    public Instant now() {
        synchronized (monitor) {
            return now;
        }
    }

    /** Adds an actor; it first runs when the world runs and its turn comes. */
    public void spawn(String name, Runnable body) {
        Actor a;
        synchronized (monitor) {
            a = new Actor(name, nextId++);
            actors.add(a);
            ready.addLast(a);
        }
        Thread t = Thread.ofPlatform().daemon().name("sim-" + name).unstarted(() -> {
            current.set(a);
            a.baton.acquireUninterruptibly();
            try {
                if (!takeInterrupt(a)) {
                    body.run();
                }
            } catch (RuntimeException | Error e) {
                synchronized (monitor) {
                    if (failure == null) {
                        failure = new IllegalStateException("actor " + name + " failed: " + e, e);
                    }
                }
            } finally {
                synchronized (monitor) {
                    a.done = true;
                    actors.remove(a);
                }
                handOn();
            }
        });
        a.thread = t;
        t.start();
    }

    /**
     * Runs the world until no actor is ready and the next wake-up is after {@code until} (time then stands at
     * {@code until}), or until every actor has ended. Called from outside the world.
     */
    public void runUntil(Instant until) throws InterruptedException {
        synchronized (monitor) {
            if (running) {
                throw new IllegalStateException("the world is already running");
            }
            running = true;
            limit = until;
        }
        handOn();
        if (!idle.tryAcquire(10, TimeUnit.MINUTES)) {
            throw new IllegalStateException("the simulated world did not come to rest in 10 minutes of real time: an actor "
                    + "waits outside virtual time");
        }
        synchronized (monitor) {
            running = false;
            if (now.isBefore(until)) {
                now = until;
            }
            if (failure != null) {
                throw failure;
            }
        }
    }

    public void runFor(Duration d) throws InterruptedException {
        runUntil(now().plus(d));
    }

    /** Passes the baton to the next ready actor, jumping time when none is ready; or reports the world at rest. */
    private void handOn() {
        Actor next;
        synchronized (monitor) {
            next = ready.pollFirst();
            if (next == null && !timers.isEmpty() && !timers.peek().wakeAt.isAfter(limit)) {
                Actor first = timers.poll();
                if (first.wakeAt.isAfter(now)) {
                    now = first.wakeAt;
                }
                first.waitingOn = detach(first);
                next = first;
            }
        }
        if (next == null) {
            idle.release();
        } else {
            next.baton.release();
        }
    }

    private Signal detach(Actor a) {
        if (a.waitingOn != null) {
            a.waitingOn.waiters.remove(a);
        }
        return null;
    }

    /**
     * The calling actor gives up the baton and waits for its next turn. A plain {@link Thread#interrupt} does not
     * wake it (a parked thread may clear and restore its own flag at any moment, so reading it would not be
     * deterministic): interrupt actors through {@link #interrupt(String)} or {@link #interrupt(Thread)}.
     */
    private void park(Actor a) throws InterruptedException {
        handOn();
        a.baton.acquireUninterruptibly();
        if (Thread.interrupted()) {
            synchronized (monitor) {
                a.interrupted = true;
            }
        }
        if (takeInterrupt(a)) {
            throw new InterruptedException(a.name + " interrupted");
        }
    }

    private boolean takeInterrupt(Actor a) {
        synchronized (monitor) {
            boolean was = a.interrupted;
            a.interrupted = false;
            return was;
        }
    }

    private Actor self() {
        Actor a = current.get();
        if (a == null) {
            throw new IllegalStateException("only an actor of the simulated world may wait in it ("
                    + Thread.currentThread().getName() + " is not one)");
        }
        return a;
    }

    @Override
    public void sleep(Duration duration) throws InterruptedException {
        Actor a = self();
        synchronized (monitor) {
            if (a.interrupted) {
                a.interrupted = false;
                throw new InterruptedException(a.name + " interrupted");
            }
            a.wakeAt = now.plus(duration.isNegative() ? Duration.ZERO : duration);
            a.wakeOrder = order++;
            timers.add(a);
        }
        park(a);
    }

    /** Interrupts an actor as {@link Thread#interrupt} would: its current or next wait throws. */
    public void interrupt(String name) {
        synchronized (monitor) {
            for (Actor a : actors) {
                if (a.name.equals(name)) {
                    interrupt(a);
                }
            }
        }
    }

    /** Interrupts the actor running on {@code thread}, if one does. */
    public void interrupt(Thread thread) {
        synchronized (monitor) {
            for (Actor a : actors) {
                if (a.thread == thread) {
                    interrupt(a);
                }
            }
        }
    }

    private void interrupt(Actor a) {
        if (a.done) {
            return;
        }
        a.interrupted = true;
        if (timers.remove(a) || a.waitingOn != null) {
            a.waitingOn = detach(a);
            ready.addLast(a);
        }
    }

    /** Interrupts every live actor whose name starts with {@code prefix} ("" for all). */
    public void interruptAll(String prefix) {
        List<String> names = new ArrayList<>();
        synchronized (monitor) {
            for (Actor a : actors) {
                if (!a.done && a.name.startsWith(prefix)) {
                    names.add(a.name);
                }
            }
        }
        names.forEach(this::interrupt);
    }

    @Override
    public ChangeSignal newSignal() {
        return new Signal();
    }

    /** A change signal whose waiters park in virtual time. */
    private final class Signal implements ChangeSignal {
        private long version;
        private final List<Actor> waiters = new ArrayList<>();

        @Override
        public long version() {
            synchronized (monitor) {
                return version;
            }
        }

        @Override
        public void signalAll() {
            synchronized (monitor) {
                version++;
                for (Actor w : List.copyOf(waiters)) {
                    timers.remove(w);
                    w.waitingOn = null;
                    ready.addLast(w);
                }
                waiters.clear();
            }
        }

        @Override
        public boolean awaitChange(long seenVersion, Instant deadline) throws InterruptedException {
            Actor a = self();
            synchronized (monitor) {
                if (version != seenVersion) {
                    return true;
                }
                if (a.interrupted) {
                    a.interrupted = false;
                    throw new InterruptedException(a.name + " interrupted");
                }
                a.waitingOn = this;
                waiters.add(a);
                a.wakeAt = deadline.isBefore(now) ? now : deadline;
                a.wakeOrder = order++;
                timers.add(a);
            }
            park(a);
            synchronized (monitor) {
                return version != seenVersion;
            }
        }
    }
}
