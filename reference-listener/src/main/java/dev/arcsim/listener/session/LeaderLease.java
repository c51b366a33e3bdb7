package dev.arcsim.listener.session;

import java.io.IOException;
import java.time.Duration;
import java.time.Instant;

/**
 * Leadership among standby listeners for one scale set: only the holder opens a session and polls. A holder that
 * stops renewing for {@code duration} loses the lease to the next one that asks.
 */
public interface LeaderLease {

    /** Takes the lease if it is free or expired, renews it if {@code identity} holds it; false while another holds it. */
    boolean acquireOrRenew(String identity, Instant now, Duration duration) throws IOException;

    /** Gives the lease up, so a standby need not wait for it to expire. */
    void release(String identity) throws IOException;
}
