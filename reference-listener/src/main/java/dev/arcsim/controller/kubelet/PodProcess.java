package dev.arcsim.controller.kubelet;

/** What a simulated container does: run to an exit code; stop on SIGTERM; stop on SIGKILL without cleanup. */
public interface PodProcess {

    /** Runs until the process ends; answers its exit code. */
    int run() throws InterruptedException;

    /** SIGTERM: end gracefully (a listener deletes its session). */
    void terminate();

    /** SIGKILL: end now, cleaning up nothing. */
    void kill();

    /** This process, with {@code cleanup} run once it has ended, however it ended (what the pod held, released). */
    default PodProcess withCleanup(Runnable cleanup) {
        PodProcess process = this;
        return new PodProcess() {
            @Override
            public int run() throws InterruptedException {
                try {
                    return process.run();
                } finally {
                    cleanup.run();
                }
            }

            @Override
            public void terminate() {
                process.terminate();
            }

            @Override
            public void kill() {
                process.kill();
            }
        };
    }
}
