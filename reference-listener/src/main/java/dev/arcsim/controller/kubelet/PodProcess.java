package dev.arcsim.controller.kubelet;

/** What a simulated container does: run to an exit code; stop on SIGTERM; stop on SIGKILL without cleanup. */
public interface PodProcess {

    /** Runs until the process ends; answers its exit code. */
    int run() throws InterruptedException;

    /** SIGTERM: end gracefully (a listener deletes its session). */
    void terminate();

    /** SIGKILL: end now, cleaning up nothing. */
    void kill();
}
