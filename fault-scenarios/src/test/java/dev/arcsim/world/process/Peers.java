package dev.arcsim.world.process;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Optional;

/**
 * ARC's listener binaries for tests: in {@code ARCSIM_ARC_PEERS} (a folder laid out as {@code shared/peers/arc}
 * unpacks to: {@code 0.8.1/}, {@code 0.13-c6e4c94/}, {@code head-2ee6b3b/}), else unpacked beside the project
 * ({@code ../shared/peers/arc} after {@code unpack.sh}, or its default {@code ~/.cache/arcsim/peers/arc}).
 */
public final class Peers {

    public static final String HEAD = "head-2ee6b3b/ghalistener";
    public static final String V013 = "0.13-c6e4c94/ghalistener";
    public static final String V081 = "0.8.1/githubrunnerscalesetlistener";

    private Peers() {
    }

    /** The binary, or empty when no peers folder holds it (the reason a test skips). */
    public static Optional<Path> find(String relative) {
        String env = System.getenv("ARCSIM_ARC_PEERS");
        Path[] roots = env != null && !env.isBlank()
                ? new Path[] {Path.of(env)}
                : new Path[] {Path.of("..", "..", "shared", "peers", "arc"), Path.of("..", "shared", "peers", "arc"),
                        Path.of(System.getProperty("user.home"), ".cache", "arcsim", "peers", "arc")};
        for (Path root : roots) {
            Path p = root.resolve(relative);
            if (Files.isExecutable(p)) {
                return Optional.of(p.toAbsolutePath().normalize());
            }
        }
        return Optional.empty();
    }

    public static String missing(String relative) {
        return "ARC's listener " + relative + " is not unpacked: set ARCSIM_ARC_PEERS to a folder laid out like "
                + "shared/peers/arc (bash ../shared/peers/arc/unpack.sh DEST makes one); .ci/run does so";
    }
}
