package dev.arcsim.world;

import java.util.Locale;

/** Which Kubernetes API server a wire world runs on. */
public enum ClusterKind {
    /** fabric8's CRUD mock, in process: fast, no admission, no garbage collection, no RBAC. */
    MOCK,
    /** etcd, kube-apiserver and kube-controller-manager on loopback ({@code arcsim kube install} builds them). */
    REAL;

    public String label() {
        return name().toLowerCase(Locale.ROOT);
    }

    /** What a replay command adds to ask for this cluster: nothing for the default. */
    public String flag() {
        return this == MOCK ? "" : " --cluster " + label();
    }

    /** Refuses a real cluster for the simulated world, which runs on its own in-memory store. */
    public void checkWorld(String world) {
        if (this == REAL && !world.equals("wire")) {
            throw new IllegalArgumentException("--cluster " + label() + " is for the wire world: the " + world
                    + " world runs on its own in-memory store");
        }
    }

    /** From {@code --cluster}: mock or real. */
    public static ClusterKind parse(String value) {
        for (ClusterKind k : values()) {
            if (k.label().equals(value.toLowerCase(Locale.ROOT).strip())) {
                return k;
            }
        }
        throw new IllegalArgumentException("--cluster must be mock or real, got \"" + value + "\"");
    }
}
