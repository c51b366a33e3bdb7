package dev.arcsim.world.real;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.PrintWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.stream.Stream;

/**
 * Builds the real tier from the Go module proxy (REAL-CLUSTER.md's recipe): kube-apiserver, kube-controller-manager
 * and kubectl from a writable copy of {@code k8s.io/kubernetes} with its {@code ./staging} replaces swapped for the
 * published modules, and etcd's server as a main package in a scratch module. Binaries are built into a folder
 * beside {@code bin/} and moved into place only when all of them run, so an interrupted install leaves nothing that
 * looks installed; a second install finds them and does nothing.
 */
public final class RealTierInstaller {

    /** Measured: ~0.8 GB module cache, ~2.9 GB build cache, ~0.4 GB binaries, a 0.2 GB source copy. */
    static final long DISK_NEEDED = 5L << 30;
    private static final ObjectMapper JSON = new ObjectMapper();

    private final PrintWriter out;
    private final Path versionDir;
    private final String go;

    public RealTierInstaller(PrintWriter out) {
        this(out, RealTier.versionDir(), "go");
    }

    /** @param go the Go command (a name on PATH, or a path) */
    RealTierInstaller(PrintWriter out, Path versionDir, String go) {
        this.out = out;
        this.versionDir = versionDir;
        this.go = go;
    }

    /** A step that could not be done; the message says what to do. */
    public static final class Failed extends RuntimeException {
        public Failed(String message) {
            super(message);
        }
    }

    /** Installs unless installed; returns the tier. */
    public RealTier install(boolean force) throws InterruptedException {
        Path bin = versionDir.resolve("bin");
        if (!force && RealTier.BINARIES.stream().allMatch(b -> Files.isExecutable(bin.resolve(b)))) {
            say("already installed in " + bin + " (--force builds again)");
            return new RealTier(bin);
        }
        checkGo();
        checkDisk();
        Path work = versionDir.resolve("build-" + ProcessHandle.current().pid());
        Path fresh = work.resolve("bin");
        try {
            deleteTree(work);
            Files.createDirectories(fresh);
            Map<String, String> env = new LinkedHashMap<>(Map.of("GOWORK", "off", "GOFLAGS", "-mod=mod", "CGO_ENABLED", "0"));
            step(1, "fetching k8s.io/kubernetes@" + RealTier.KUBERNETES + " from " + goEnv(go, "GOPROXY"));
            String moduleDir = download(go, env);
            step(2, "preparing a writable copy with the published k8s.io modules in place of ./staging");
            Path src = work.resolve("kubernetes");
            copyTree(Path.of(moduleDir), src);
            for (String f : List.of("go.work", "go.work.sum")) {
                Files.deleteIfExists(src.resolve(f));
            }
            deleteTree(src.resolve("vendor"));
            replaceStaging(go, src, env);
            step(3, "building kube-apiserver, kube-controller-manager and kubectl (cold: about 4 minutes on 2 cores)");
            String minor = RealTier.KUBERNETES.split("\\.")[1];
            String ld = "-s -w";
            for (String pkg : List.of("k8s.io/component-base/version", "k8s.io/client-go/pkg/version")) {
                ld += " -X " + pkg + ".gitVersion=" + RealTier.KUBERNETES + " -X " + pkg + ".gitMajor=1 -X " + pkg + ".gitMinor=" + minor;
            }
            run(List.of(go, "build", "-v", "-trimpath", "-ldflags", ld, "-o", fresh + "/", "./cmd/kube-apiserver",
                    "./cmd/kube-controller-manager", "./cmd/kubectl"), src, env, "build");
            step(4, "building etcd " + RealTier.ETCD);
            Path etcdModule = work.resolve("etcd");
            Files.createDirectories(etcdModule);
            run(List.of(go, "mod", "init", "arcsim.dev/etcd-build"), etcdModule, env, null);
            run(List.of(go, "get", "go.etcd.io/etcd/server/v3@" + RealTier.ETCD), etcdModule, env, null);
            run(List.of(go, "build", "-v", "-trimpath", "-ldflags", "-s -w", "-o", fresh.resolve("etcd").toString(),
                    "go.etcd.io/etcd/server/v3"), etcdModule, env, "build");
            step(5, "checking the binaries run");
            String version = capture(List.of(fresh.resolve("kube-apiserver").toString(), "--version"), work);
            if (!version.contains(RealTier.KUBERNETES)) {
                throw new Failed("the built kube-apiserver reports \"" + version.strip() + "\", not " + RealTier.KUBERNETES);
            }
            capture(List.of(fresh.resolve("etcd").toString(), "--version"), work);
            deleteTree(bin);
            Files.move(fresh, bin, StandardCopyOption.ATOMIC_MOVE);
            say("installed in " + bin);
            return new RealTier(bin);
        } catch (IOException e) {
            throw new Failed("cannot install into " + versionDir + ": " + e.getMessage());
        } finally {
            try {
                deleteTree(work);
            } catch (IOException e) {
                say("could not remove the build folder " + work + ": " + e.getMessage());
            }
        }
    }

    private void checkGo() throws InterruptedException {
        String version;
        try {
            version = capture(List.of(go, "env", "GOVERSION"), Path.of(".")).strip();
        } catch (Failed e) {
            throw new Failed("Go is needed to build the real tier and was not found or does not run (" + e.getMessage()
                    + "); install Go 1.26 or newer and put it on PATH");
        }
        String[] p = version.replaceFirst("^go", "").split("[.]");
        int minor = p.length > 1 ? Integer.parseInt(p[1].replaceAll("\\D.*", "")) : 0;
        if (!p[0].equals("1") || minor < 26) {
            throw new Failed("Go " + version + " is too old to build Kubernetes " + RealTier.KUBERNETES + ": it needs 1.26 or newer");
        }
        say("using " + version);
    }

    private void checkDisk() {
        try {
            Path probe = versionDir;
            while (probe != null && !Files.exists(probe)) {
                probe = probe.getParent();
            }
            long free = probe == null ? Long.MAX_VALUE : Files.getFileStore(probe).getUsableSpace();
            if (free < DISK_NEEDED) {
                throw new Failed("too little disk: building the real tier takes about " + (DISK_NEEDED >> 30) + " GB (Go's module "
                        + "and build caches, the binaries), and " + probe + " has " + (free >> 20) + " MB free");
            }
        } catch (IOException e) {
            throw new Failed("cannot see the free disk space at " + versionDir + ": " + e.getMessage());
        }
    }

    private String goEnv(String go, String name) throws InterruptedException {
        return capture(List.of(go, "env", name), Path.of(".")).strip();
    }

    private String download(String go, Map<String, String> env) throws InterruptedException, IOException {
        Process p = start(List.of(go, "mod", "download", "-json", "k8s.io/kubernetes@" + RealTier.KUBERNETES), Path.of("."), env);
        String said = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        p.waitFor();
        JsonNode info = said.isBlank() ? JSON.createObjectNode() : JSON.readTree(said);
        if (p.exitValue() != 0 || !info.hasNonNull("Dir")) {
            String why = info.path("Error").asText(said.strip());
            throw new Failed("cannot fetch k8s.io/kubernetes@" + RealTier.KUBERNETES + " from the Go module proxy ("
                    + why.lines().findFirst().orElse("exit " + p.exitValue()) + "); check the network to GOPROXY ("
                    + goEnv(go, "GOPROXY") + ")");
        }
        return info.get("Dir").asText();
    }

    /** Every module replaced into ./staging is required at its published version instead. */
    private void replaceStaging(String go, Path src, Map<String, String> env) throws InterruptedException, IOException {
        JsonNode mod = JSON.readTree(capture(List.of(go, "mod", "edit", "-json"), src));
        String staging = "v0." + RealTier.KUBERNETES.substring("v1.".length());
        List<String> edit = new ArrayList<>(List.of(go, "mod", "edit"));
        for (JsonNode r : mod.path("Replace")) {
            if (r.path("New").path("Path").asText().startsWith("./staging")) {
                String m = r.path("Old").path("Path").asText();
                edit.add("-dropreplace=" + m);
                edit.add("-require=" + m + "@" + staging);
            }
        }
        if (edit.size() == 3) {
            throw new Failed("k8s.io/kubernetes@" + RealTier.KUBERNETES + " has no ./staging replaces: the recipe does not fit it");
        }
        run(edit, src, env, null);
    }

    private void step(int n, String what) {
        say("[" + n + "/5] " + what);
    }

    private void say(String line) {
        out.println("kube install: " + line);
        out.flush();
    }

    private static Process start(List<String> command, Path dir, Map<String, String> env) throws IOException {
        ProcessBuilder pb = new ProcessBuilder(command).directory(dir.toFile());
        pb.environment().putAll(env);
        return pb.start();
    }

    /**
     * Runs a step; its output is kept for the error, and with {@code counting}, {@code go build -v}'s package lines
     * are counted into a progress line every 100 packages.
     */
    private void run(List<String> command, Path dir, Map<String, String> env, String counting) throws InterruptedException, IOException {
        ProcessBuilder pb = new ProcessBuilder(command).directory(dir.toFile()).redirectErrorStream(true);
        pb.environment().putAll(env);
        Process p = pb.start();
        List<String> tail = new ArrayList<>();
        AtomicInteger packages = new AtomicInteger();
        try (BufferedReader r = new BufferedReader(new InputStreamReader(p.getInputStream(), StandardCharsets.UTF_8))) {
            for (String line; (line = r.readLine()) != null; ) {
                tail.add(line);
                if (tail.size() > 20) {
                    tail.remove(0);
                }
                if (counting != null && !line.startsWith("go: ") && packages.incrementAndGet() % 100 == 0) {
                    say("  " + packages.get() + " packages compiled");
                }
            }
        }
        if (p.waitFor() != 0) {
            throw new Failed(String.join(" ", command.subList(0, Math.min(3, command.size()))) + " failed (exit " + p.exitValue()
                    + ") in " + dir + ":\n  " + String.join("\n  ", tail));
        }
    }

    private static String capture(List<String> command, Path dir) throws InterruptedException {
        try {
            Process p = new ProcessBuilder(command).directory(dir.toFile()).redirectErrorStream(true).start();
            String said = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
            if (p.waitFor() != 0) {
                throw new Failed(command.get(0) + " " + String.join(" ", command.subList(1, command.size())) + " failed: "
                        + said.strip().lines().findFirst().orElse("exit " + p.exitValue()));
            }
            return said;
        } catch (IOException e) {
            throw new Failed(e.getMessage());
        }
    }

    private static void copyTree(Path from, Path to) throws IOException {
        try (Stream<Path> all = Files.walk(from)) {
            for (Path f : (Iterable<Path>) all::iterator) {
                Path target = to.resolve(from.relativize(f).toString());
                if (Files.isDirectory(f)) {
                    Files.createDirectories(target);
                } else {
                    Files.copy(f, target, StandardCopyOption.REPLACE_EXISTING);
                }
                target.toFile().setWritable(true, true);
            }
        }
    }

    static void deleteTree(Path dir) throws IOException {
        if (!Files.exists(dir)) {
            return;
        }
        try (Stream<Path> all = Files.walk(dir)) {
            for (Path f : all.sorted(Comparator.reverseOrder()).toList()) {
                f.toFile().setWritable(true, true);
                Files.deleteIfExists(f);
            }
        }
    }
}
