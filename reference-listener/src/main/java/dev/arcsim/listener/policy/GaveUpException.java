package dev.arcsim.listener.policy;

/** A call failed on every attempt the policy allows: "giving up after N attempt(s)", as retryablehttp says it. */
public final class GaveUpException extends Exception {

    private final String operation;
    private final int attempts;

    public GaveUpException(String operation, int attempts, Exception last) {
        super(operation + ": giving up after " + attempts + " attempt(s): " + last.getMessage(), last, false, false);
        this.operation = operation;
        this.attempts = attempts;
    }

    public String operation() {
        return operation;
    }

    public int attempts() {
        return attempts;
    }
}
