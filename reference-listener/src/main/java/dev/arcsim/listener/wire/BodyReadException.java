package dev.arcsim.listener.wire;

import java.io.IOException;

/**
 * The status line and headers arrived, then reading the body failed (a malformed chunk, a connection cut mid-body).
 * Apart from a connection failure because ARC's client treats it apart: go-retryablehttp retries what fails before
 * a response is in hand, and a body that breaks off afterwards is an error of the call, not retried; the client
 * reports it as a malformed answer.
 */
public final class BodyReadException extends IOException {

    private final int status;

    public BodyReadException(int status, IOException cause) {
        super("status " + status + ", then the body broke off (" + cause.getMessage() + ")", cause);
        this.status = status;
    }

    public int status() {
        return status;
    }
}
