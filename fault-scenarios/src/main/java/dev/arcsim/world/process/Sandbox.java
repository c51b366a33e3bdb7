package dev.arcsim.world.process;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * What makes an OS process look like it runs in a pod: its own mount and UTS namespaces (through a user namespace,
 * so it needs no privilege where user namespaces are allowed), its service-account folder bound at the fixed path a
 * Kubernetes client reads, and the pod's name as its hostname (ARC's listener names its session owner after it).
 * The process is the leader of its own process group, so SIGKILL reaches everything it started, and it dies with
 * the thread that started it, so a killed arcsim leaves no listener behind.
 */
public final class Sandbox {

    static final String SERVICE_ACCOUNT_DIR = "/run/secrets/kubernetes.io/serviceaccount";   // /var/run is /run

    // $1 pod name, $2 service-account folder, $3 the program, then its arguments
    private static final String SCRIPT = "hostname \"$1\" && mount -t tmpfs none /run && mkdir -p " + SERVICE_ACCOUNT_DIR
            + " && mount --bind \"$2\" " + SERVICE_ACCOUNT_DIR + " && program=\"$3\" && shift 3"
            + " && exec setpriv --pdeathsig KILL -- \"$program\" \"$@\"";

    private Sandbox() {
    }

    /** The command that runs {@code program} as pod {@code podName} with {@code serviceAccount} mounted. */
    static List<String> command(String podName, Path serviceAccount, Path program, List<String> arguments) {
        List<String> command = new java.util.ArrayList<>(List.of("setsid", "unshare", "-Urmu", "sh", "-c", SCRIPT, "sh",
                podName, serviceAccount.toString(), program.toString()));
        command.addAll(arguments);
        return command;
    }

    /**
     * The service-account folder a kubelet mounts for a pod ({@code token}, {@code ca.crt}, {@code namespace}), made
     * in {@code dir}; the sandbox binds it at {@value #SERVICE_ACCOUNT_DIR}.
     */
    public static void writeServiceAccount(Path dir, String token, String caPem, String namespace) throws IOException {
        Files.createDirectories(dir);
        Folders.writePrivate(dir.resolve("token"), token);
        Folders.writePrivate(dir.resolve("ca.crt"), caPem);
        Folders.writePrivate(dir.resolve("namespace"), namespace);
    }

    /**
     * A pod process's whole environment: a plain PATH and HOME, the container's own variables, and the API server as
     * the in-cluster config reads it (loopback, {@code apiServerPort}), which no container variable overrides.
     */
    public static java.util.Map<String, String> environment(java.util.Map<String, String> container, int apiServerPort) {
        java.util.Map<String, String> env = new java.util.LinkedHashMap<>();
        env.put("PATH", "/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin");
        env.put("HOME", "/tmp");
        env.putAll(container);
        env.put("KUBERNETES_SERVICE_HOST", "127.0.0.1");
        env.put("KUBERNETES_SERVICE_PORT", String.valueOf(apiServerPort));
        return env;
    }

    /** Whether this machine can make such sandboxes; a one-line reason when it cannot. */
    public static void check() {
        for (String tool : List.of("setsid", "unshare", "setpriv", "hostname", "mount")) {
            if (!onPath(tool)) {
                throw new ListenerBinary.Invalid("cannot run a listener binary here: " + tool + " is missing "
                        + "(Debian: apt-get install util-linux hostname)");
            }
        }
        try {
            Path dir = Files.createTempDirectory("arcsim-sandbox-check");
            try {
                Process p = new ProcessBuilder(command("arcsim-check", dir, Path.of("/bin/true"), List.of()))
                        .redirectErrorStream(true).start();
                if (!p.waitFor(10, TimeUnit.SECONDS)) {
                    p.destroyForcibly();
                    throw new ListenerBinary.Invalid("cannot run a listener binary here: making a sandbox hung");
                }
                String said = new String(p.getInputStream().readAllBytes()).strip();
                if (p.exitValue() != 0) {
                    throw new ListenerBinary.Invalid("cannot run a listener binary here: user namespaces are not "
                            + "allowed (unshare -Urmu: " + (said.isEmpty() ? "exit " + p.exitValue() : said.lines().findFirst().orElse(""))
                            + "); run as root or allow them (sysctl kernel.unprivileged_userns_clone=1, "
                            + "kernel.apparmor_restrict_unprivileged_userns=0)");
                }
            } finally {
                Files.deleteIfExists(dir);
            }
        } catch (IOException e) {
            throw new ListenerBinary.Invalid("cannot run a listener binary here: " + e.getMessage());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new ListenerBinary.Invalid("interrupted while checking the sandbox");
        }
    }

    private static boolean onPath(String tool) {
        String path = System.getenv().getOrDefault("PATH", "/usr/sbin:/usr/bin:/sbin:/bin");
        for (String dir : path.split(":")) {
            if (!dir.isEmpty() && Files.isExecutable(Path.of(dir, tool))) {
                return true;
            }
        }
        return false;
    }
}
