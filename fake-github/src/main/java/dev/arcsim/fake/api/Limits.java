package dev.arcsim.fake.api;

/**
 * What one request may carry. These are the fake's own bounds, not GitHub's (it publishes none for these calls), set
 * far above anything ARC or a runner sends, so that a request nobody meant cannot take the fake's memory: anything
 * larger is refused with a 400 or 413 that says which bound it broke.
 */
public final class Limits {

    /** A request body; ARC's largest, a scale set with its labels, is under 2 KiB. */
    public static final int MAX_BODY_BYTES = 1 << 20;
    /** A scale set's, runner's or session owner's name, a label, a repository or workflow name. */
    public static final int MAX_NAME_LENGTH = 256;
    /** Labels on one scale set. */
    public static final int MAX_LABELS = 100;
    /** Jobs one admin call may queue. */
    public static final int MAX_JOBS_PER_CALL = 10_000;

    private Limits() {
    }

    /** The refusal of a body over {@link #MAX_BODY_BYTES}, worded for either API. */
    public static String bodyTooLarge(int length) {
        return "The request body has " + length + " bytes; fake-github takes at most " + MAX_BODY_BYTES
                + " (a bound of the fake's, not GitHub's).";
    }
}
