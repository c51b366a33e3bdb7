package dev.arcsim.cli;

import dev.arcsim.world.ClusterKind;
import picocli.CommandLine.Option;

/** {@code --cluster mock|real}, shared by the commands that play wire runs. */
final class ClusterOption {

    @Option(names = "--cluster", paramLabel = "mock|real",
            description = {"The Kubernetes API server of wire runs: mock (fabric8's, in process: fast; the default) or real",
                    "(etcd, kube-apiserver and kube-controller-manager on loopback, one per run; install it first with",
                    "arcsim kube install). Default: mock; real with --arc."})
    String cluster;

    /** The kind asked for, checked against the world, with the real tier installed when it is asked for. */
    ClusterKind kind(String world) {
        return kind(world, ClusterKind.MOCK);
    }

    /** As {@link #kind(String)}, {@code otherwise} when none is asked for. */
    ClusterKind kind(String world, ClusterKind otherwise) {
        ClusterKind kind;
        try {
            kind = cluster == null ? otherwise : ClusterKind.parse(cluster);
            kind.checkWorld(world);
        } catch (IllegalArgumentException e) {
            throw new ArcsimCommand.UserError(e.getMessage());
        }
        if (kind == ClusterKind.REAL) {
            KubeCommand.realTier();
        }
        return kind;
    }
}
