package dev.arcsim.listener.wire;

import java.io.IOException;

/**
 * How the client's requests reach the service: over TCP in a pod or a wire test, or handed in-process to the fake
 * in a simulated world. Connection-level failures are IOExceptions; any HTTP status is a response.
 */
public interface Transport {
    WireResponse send(WireRequest request) throws IOException, InterruptedException;
}
