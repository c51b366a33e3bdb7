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

    /** One virtual thread per process. */
    static Spawner threads() {
        return (name, body) -> {
            Thread t = Thread.ofVirtual().name(name).start(body);
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
