package dev.arcsim.fake.api;

import java.util.Arrays;
import java.util.Optional;

/**
 * Every operation the fake serves, by the name faults, counters and the journal use. The names are arcsim's; the
 * paths and methods are ARC's (PROTOCOL.md §1.3 to §1.5).
 */
public enum Endpoint {
    ACCESS_TOKEN("access-token", Family.GITHUB_REST),
    REGISTRATION_TOKEN("registration-token", Family.GITHUB_REST),
    RUNNER_REGISTRATION("runner-registration", Family.GITHUB_REST),
    GET_SCALE_SET("get-scale-set", Family.ACTIONS),
    GET_SCALE_SET_BY_ID("get-scale-set-by-id", Family.ACTIONS),
    CREATE_SCALE_SET("create-scale-set", Family.ACTIONS),
    UPDATE_SCALE_SET("update-scale-set", Family.ACTIONS),
    DELETE_SCALE_SET("delete-scale-set", Family.ACTIONS),
    GET_RUNNER_GROUP("get-runner-group", Family.ACTIONS),
    CREATE_SESSION("create-session", Family.ACTIONS),
    REFRESH_SESSION("refresh-session", Family.ACTIONS),
    DELETE_SESSION("delete-session", Family.ACTIONS),
    GET_MESSAGE("get-message", Family.ACTIONS),
    ACK_MESSAGE("ack-message", Family.ACTIONS),
    ACQUIRABLE_JOBS("acquirable-jobs", Family.ACTIONS),
    ACQUIRE_JOBS("acquire-jobs", Family.ACTIONS),
    GENERATE_JIT_CONFIG("generate-jit-config", Family.ACTIONS),
    GET_RUNNER("get-runner", Family.ACTIONS),
    GET_RUNNER_BY_NAME("get-runner-by-name", Family.ACTIONS),
    REMOVE_RUNNER("remove-runner", Family.ACTIONS),
    RUNNER_CONNECT("runner-connect", Family.ACTIONS),
    RUNNER_TAKE_JOB("runner-take-job", Family.ACTIONS),
    RUNNER_COMPLETE_JOB("runner-complete-job", Family.ACTIONS),
    /** Anything the fake does not serve; answered 404 and journaled. */
    UNKNOWN("unknown", Family.ACTIONS);

    /** Which error body shape a refusal on this endpoint has. */
    public enum Family { GITHUB_REST, ACTIONS }

    private final String wireName;
    private final Family family;

    Endpoint(String wireName, Family family) {
        this.wireName = wireName;
        this.family = family;
    }

    public String wireName() {
        return wireName;
    }

    public Family family() {
        return family;
    }

    public static Optional<Endpoint> fromWireName(String name) {
        return Arrays.stream(values()).filter(e -> e.wireName.equals(name)).findFirst();
    }

    public static String allowed() {
        return String.join(", ", Arrays.stream(values()).filter(e -> e != UNKNOWN).map(Endpoint::wireName).toList());
    }
}
