package dev.arcsim.fake.state;

/** A job's life on the service: available, then acquired by a listener, assigned to the scale set, started, completed. */
public enum JobState {
    AVAILABLE, ACQUIRED, ASSIGNED, STARTED, COMPLETED;

    public String wireName() {
        return name().toLowerCase();
    }
}
