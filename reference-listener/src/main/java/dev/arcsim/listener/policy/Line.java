package dev.arcsim.listener.policy;

/** The order a listener handles a message in, and how it scales (PROTOCOL.md §4.4, §4.6). */
public enum Line {
    /** ARC 0.13: parse, acquire, ack, JobStarted, scale(assigned, completed); 202 scales (0, 0). */
    LEGACY,
    /** ARC 0.14 (scaleset v0.4.0): ack first, then acquire, JobStarted, JobCompleted, scale(assigned). */
    CURRENT,
    /** arcsim's: acquire, JobStarted, scale, then ack and remember the message id; nothing is acked unhandled. */
    SAFE,
    /**
     * Deliberately wrong, to prove the search finds real bugs: ack first, then one acquire attempt whose failure is
     * dropped, so a job offered in a message whose acquire fails is never run (the offer went with the ack).
     */
    BROKEN_ACK_FIRST
}
