package dev.arcsim.world.arc;

import dev.arcsim.world.process.ListenerBinary;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.regex.Pattern;
import java.util.stream.Stream;

/**
 * A build of ARC that a user gives with {@code --arc DIR}, laid out as the peers in {@code shared/peers/arc/<version>/}
 * are: the controller ({@code manager}), the listener ({@code ghalistener}, or {@code githubrunnerscalesetlistener}
 * for 0.8.x), ARC's CRDs in {@code crds/}, and what tells its version. Checked before anything starts, so that a wrong
 * folder is one line saying what is missing.
 *
 * @param version the chart version the controller was built with ({@code build.Version}); ARC's controller deletes any
 *                AutoscalingRunnerSet whose {@code app.kubernetes.io/version} label differs from it
 * @param commit  ARC's commit, when the folder says
 */
public record ArcRelease(Path dir, Path manager, ListenerBinary listener, List<Path> crds, String version, String commit) {

    /**
     * The builds in {@code shared/peers/arc}: their commits and the versions they were built with (its README's
     * table). A folder of another build says its version in a {@code VERSION} file.
     */
    static final Map<String, String> KNOWN_COMMITS = Map.of(
            "1f9b7541e6545a9d5ffa052481a84aad7ba4aa4d", "0.8.1",
            "c6e4c94a6ab800823e6884ff64840c1aba8fa5a9", "0.13.1",
            "2ee6b3b8e8d2781c2f2bd4f0033fbb436465c5c1", "0.14.2");

    private static final Pattern VERSION = Pattern.compile("\\d+\\.\\d+\\.\\d+([-+][0-9A-Za-z.-]+)?");
    private static final List<String> LISTENER_NAMES = List.of("ghalistener", "githubrunnerscalesetlistener");

    /** The folder checked; {@link ListenerBinary.Invalid} says what is wrong with it and how to mend it. */
    public static ArcRelease check(Path dir) {
        String shown = "--arc " + dir;
        if (!Files.isDirectory(dir)) {
            throw new ListenerBinary.Invalid(shown + ": " + (Files.exists(dir) ? "is not a folder" : "no such folder")
                    + "; give a folder laid out as shared/peers/arc/<version>/ (manager, ghalistener, crds/), e.g. one "
                    + "that shared/peers/arc/unpack.sh made");
        }
        Path manager = dir.resolve("manager");
        if (!Files.isRegularFile(manager) || !Files.isExecutable(manager)) {
            throw new ListenerBinary.Invalid(shown + ": has no executable 'manager' (ARC's controller, /manager in its "
                    + "controller image)");
        }
        Path listenerPath = LISTENER_NAMES.stream().map(dir::resolve).filter(Files::isRegularFile).findFirst()
                .orElseThrow(() -> new ListenerBinary.Invalid(shown + ": has no listener program (ghalistener, or "
                        + "githubrunnerscalesetlistener for ARC 0.8.x)"));
        ListenerBinary listener = ListenerBinary.check(listenerPath, shown + ": " + listenerPath);
        ListenerBinary.requireProgram(manager, shown + ": " + manager);   // runnable here; no sha256, reports name the listener
        List<Path> crds = crds(dir, shown);
        String commit = read(dir.resolve("COMMIT"));
        String version = read(dir.resolve("VERSION"));
        if (version == null && commit != null) {
            version = KNOWN_COMMITS.get(commit);
        }
        if (version == null) {
            throw new ListenerBinary.Invalid(shown + ": cannot tell which ARC version this is; write the chart version its "
                    + "controller was built with (its build.Version, e.g. 0.14.2) into " + dir.resolve("VERSION"));
        }
        if (!VERSION.matcher(version).matches()) {
            throw new ListenerBinary.Invalid(shown + ": VERSION says '" + version + "', which is not a version such as 0.14.2");
        }
        return new ArcRelease(dir.toAbsolutePath().normalize(), manager.toAbsolutePath().normalize(), listener, crds,
                version, commit);
    }

    private static List<Path> crds(Path dir, String shown) {
        Path folder = dir.resolve("crds");
        List<Path> files;
        try (Stream<Path> s = Files.isDirectory(folder) ? Files.list(folder) : Stream.empty()) {
            files = s.filter(p -> p.getFileName().toString().endsWith(".yaml")).sorted().toList();
        } catch (IOException e) {
            throw new ListenerBinary.Invalid(shown + ": cannot read crds/: " + e.getMessage());
        }
        for (String kind : List.of("autoscalingrunnersets", "autoscalinglisteners", "ephemeralrunnersets", "ephemeralrunners")) {
            if (files.stream().noneMatch(p -> p.getFileName().toString().equals("actions.github.com_" + kind + ".yaml"))) {
                throw new ListenerBinary.Invalid(shown + ": crds/ lacks actions.github.com_" + kind + ".yaml (ARC's CRDs, from "
                        + "charts/gha-runner-scale-set-controller/crds/ at the controller's commit)");
            }
        }
        return files;
    }

    private static String read(Path file) {
        try {
            return Files.isRegularFile(file) ? Files.readString(file, StandardCharsets.UTF_8).strip() : null;
        } catch (IOException e) {
            return null;
        }
    }

    /** How reports name it: "ARC 0.8.1 (1f9b754)". */
    public String label() {
        return "ARC " + version + (commit == null ? "" : " (" + commit.substring(0, Math.min(7, commit.length())) + ")");
    }
}
