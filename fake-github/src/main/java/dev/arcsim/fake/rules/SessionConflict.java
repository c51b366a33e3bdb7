package dev.arcsim.fake.rules;

import java.util.Arrays;
import java.util.Optional;

/** How the service answers a session create while another session exists for the scale set. */
public enum SessionConflict {
    /** 409 while another session is alive, until it has gone unpolled for the orphan TTL (how the real service behaves). */
    STRICT("strict"),
    /** A new session evicts the old one. */
    REPLACE("replace"),
    /** Every create answers 409 even with no session alive: the server-side rule change of the seed incident. */
    REJECT_ALL("reject-all");

    private final String wireName;

    SessionConflict(String wireName) {
        this.wireName = wireName;
    }

    public String wireName() {
        return wireName;
    }

    public static Optional<SessionConflict> fromWireName(String name) {
        return Arrays.stream(values()).filter(v -> v.wireName.equals(name)).findFirst();
    }

    public static String allowed() {
        return String.join(", ", Arrays.stream(values()).map(SessionConflict::wireName).toList());
    }
}
