package dev.arcsim.world.real;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Optional;

/**
 * The real Kubernetes tier's binaries, built once by {@code arcsim kube install} into a cache keyed by version, outside
 * any checkout: {@code $ARCSIM_KUBE_HOME}, else {@code ~/.cache/arcsim/kube}, then {@code <version>/bin/}.
 */
public record RealTier(Path bin) {

    /** Kubernetes' version (REAL-CLUSTER.md: the newest that builds with the Go here, 1.26). */
    public static final String KUBERNETES = "v1.34.4";
    /** etcd's: a main package in the module proxy, tested with kube-apiserver 1.34. */
    public static final String ETCD = "v3.6.16";
    public static final List<String> BINARIES = List.of("etcd", "kube-apiserver", "kube-controller-manager", "kubectl");

    /** Where versions are cached (the system property {@code arcsim.kube.home} wins, for tests). */
    public static Path home() {
        String property = System.getProperty("arcsim.kube.home");
        if (property != null && !property.isBlank()) {
            return Path.of(property);
        }
        String env = System.getenv("ARCSIM_KUBE_HOME");
        if (env != null && !env.isBlank()) {
            return Path.of(env);
        }
        return Path.of(System.getProperty("user.home"), ".cache", "arcsim", "kube");
    }

    /** This version's folder (its {@code bin/} holds the binaries once installed). */
    public static Path versionDir() {
        return home().resolve(KUBERNETES + "-etcd-" + ETCD);
    }

    /** The installed tier, if every binary is there. */
    public static Optional<RealTier> installed() {
        Path bin = versionDir().resolve("bin");
        return BINARIES.stream().allMatch(b -> Files.isExecutable(bin.resolve(b))) ? Optional.of(new RealTier(bin)) : Optional.empty();
    }

    /** The installed tier, or a {@link NotInstalled} that says how to install it. */
    public static RealTier require() {
        return installed().orElseThrow(() -> new NotInstalled("the real Kubernetes tier (etcd " + ETCD + ", kube-apiserver and "
                + "kube-controller-manager " + KUBERNETES + ") is not installed in " + versionDir()
                + ": run ./arcsim kube install (it builds them from the Go module proxy once, about 5 minutes; "
                + "ARCSIM_KUBE_HOME moves the cache)"));
    }

    public Path etcd() {
        return bin.resolve("etcd");
    }

    public Path apiServer() {
        return bin.resolve("kube-apiserver");
    }

    public Path controllerManager() {
        return bin.resolve("kube-controller-manager");
    }

    public Path kubectl() {
        return bin.resolve("kubectl");
    }

    /** The tier is missing: the message says how to install it. */
    public static final class NotInstalled extends RuntimeException {
        public NotInstalled(String message) {
            super(message);
        }
    }
}
