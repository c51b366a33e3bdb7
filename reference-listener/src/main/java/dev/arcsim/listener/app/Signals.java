package dev.arcsim.listener.app;

import sun.misc.Signal;

/**
 * SIGTERM and SIGINT become a graceful stop instead of the JVM's default exit, so the listener can delete its
 * session and choose its exit code (0 for resilient, 1 for ARC's lines, as ARC does).
 */
final class Signals {

    private Signals() {
    }

    static void onTermination(Runnable stop) {
        for (String name : new String[] {"TERM", "INT"}) {
            try {
                Signal.handle(new Signal(name), s -> stop.run());
            } catch (IllegalArgumentException e) {
                // the signal is unknown on this platform or taken by the JVM: the default behaviour stays
            }
        }
    }
}
