package dev.arcsim.controller.kubelet;

/**
 * Where simulated pod processes run. On the wall clock each is a thread; a simulated world supplies actors that its
 * scheduler runs one at a time.
 */
public interface Spawner {

    /** Starts {@code body}; the returned handle interrupts it. */
    Handle spawn(String name, Runnable body);

    interface Handle {
        void interrupt();

        boolean alive();

        /** Waits for the process to end, at most {@code bound}; true if it ended. */
        boolean join(java.time.Duration bound) throws InterruptedException;
    }

    /**
     * One platform thread per process (a daemon). Not virtual threads: a virtual thread that loads a class from
     * inside a native frame pins its carrier, and with a carrier per core, worlds starting side by side on two cores
     * deadlocked in class loading (seen with three embedded worlds in one JVM).
     */
    static Spawner threads() {
        return (name, body) -> {
            Thread t = Thread.ofPlatform().daemon().name(name).start(body);
            return new Handle() {
                @Override
                public void interrupt() {
                    t.interrupt();
                }

                @Override
                public boolean alive() {
                    return t.isAlive();
                }

                @Override
                public boolean join(java.time.Duration bound) throws InterruptedException {
                    return t.join(bound);
                }
            };
        };
    }
}
