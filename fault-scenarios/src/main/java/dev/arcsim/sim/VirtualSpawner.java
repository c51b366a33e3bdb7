package dev.arcsim.sim;

import dev.arcsim.controller.kubelet.Spawner;

import java.time.Duration;
import java.time.Instant;

/** Pod processes and loops as actors of a {@link VirtualTime} world. */
public final class VirtualSpawner implements Spawner {

    private final VirtualTime time;
    private final Runnable onExit;
    private long next;

    public VirtualSpawner(VirtualTime time) {
        this(time, () -> { });
    }

    /** @param onExit called as each actor ends (a kubelet learns of a process's exit from it) */
    public VirtualSpawner(VirtualTime time, Runnable onExit) {
        this.time = time;
        this.onExit = onExit;
    }

    @Override
    public synchronized Handle spawn(String name, Runnable body) {
        String unique = name + "#" + next++;
        boolean[] done = {false};
        time.spawn(unique, () -> {
            try {
                body.run();
            } finally {
                synchronized (done) {
                    done[0] = true;
                }
                onExit.run();
            }
        });
        return new Handle() {
            @Override
            public void interrupt() {
                time.interrupt(unique);
            }

            @Override
            public boolean alive() {
                synchronized (done) {
                    return !done[0];
                }
            }

            /** From an actor: waits in virtual time, looking every 100 ms. */
            @Override
            public boolean join(Duration bound) throws InterruptedException {
                Instant until = time.now().plus(bound);
                while (alive() && time.now().isBefore(until)) {
                    time.sleep(Duration.ofMillis(100));
                }
                return !alive();
            }
        };
    }
}
