package dev.arcsim.listener.client;

/** A 2xx answer the client cannot use: an empty body where one is needed, bad JSON, a missing field. */
public final class MalformedResponseException extends Exception {
    public MalformedResponseException(String message) {
        super(message, null, false, false);
    }
}
