package dev.arcsim.listener.client;

import java.time.Duration;
import java.util.Optional;

/**
 * A refusal from GitHub or the Actions service. Keeps what the server said (status, exception {@code typeName},
 * {@code ActivityId} or {@code X-GitHub-Request-Id}) and never a token.
 */
public final class ApiException extends Exception {

    private final String operation;
    private final int status;
    private final String typeName;
    private final String serverMessage;
    private final String requestId;
    private final Duration retryAfter;

    public ApiException(String operation, int status, String typeName, String serverMessage, String requestId,
                        Duration retryAfter) {
        super(operation + " failed: status " + status + (typeName == null ? "" : ", " + typeName)
                + (requestId == null ? "" : ", request id " + requestId) + ": " + serverMessage, null, false, false);
        this.operation = operation;
        this.status = status;
        this.typeName = typeName;
        this.serverMessage = serverMessage;
        this.requestId = requestId;
        this.retryAfter = retryAfter;
    }

    public String operation() {
        return operation;
    }

    public int status() {
        return status;
    }

    public String typeName() {
        return typeName;
    }

    public String serverMessage() {
        return serverMessage;
    }

    public Optional<Duration> retryAfter() {
        return Optional.ofNullable(retryAfter);
    }

    /** ARC matches exceptions by a substring of typeName (PROTOCOL.md §1.6). */
    public boolean is(String exception) {
        return typeName != null && typeName.contains(exception);
    }

    public boolean isSessionConflict() {
        return status == 409 && is("RunnerScaleSetSessionConflictException");
    }

    public boolean isScaleSetNotFound() {
        return status == 404 && is("RunnerScaleSetNotFoundException");
    }

    /** retryablehttp's policy: 429, and 5xx except 501 (PROTOCOL.md §3). */
    public boolean isRetryableStatus() {
        return status == 429 || (status >= 500 && status != 501) || status == 0;
    }
}
