package dev.arcsim.listener.wire;

import java.io.IOException;

/**
 * How the client's requests reach the service: over TCP in a pod or a wire test, or handed in-process to the fake
 * in a simulated world. Connection-level failures are IOExceptions ({@link BodyReadException} when the response's
 * head had arrived); any HTTP status is a response.
 */
public interface Transport {
    WireResponse send(WireRequest request) throws IOException, InterruptedException;
}
