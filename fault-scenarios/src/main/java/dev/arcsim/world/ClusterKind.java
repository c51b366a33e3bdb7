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
