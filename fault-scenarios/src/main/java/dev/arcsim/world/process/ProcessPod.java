package dev.arcsim.world.process;

import dev.arcsim.controller.kubelet.PodProcess;

import java.io.BufferedReader;
import java.io.BufferedWriter;
import java.io.IOException;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;

/**
 * A pod's container as a real OS process: started in its {@link Sandbox}, its output (stdout and stderr together)
 * scrubbed of secrets line by line into a log file, SIGTERM and SIGKILL sent to its process group. Its exit code is
 * the process's (128 + the signal when a signal ended it), as a kubelet reports it.
 */
public final class ProcessPod implements PodProcess {

    /** Every process pod still running in this JVM: a JVM that exits takes them with it. */
    private static final Set<Process> LIVE = ConcurrentHashMap.newKeySet();

    static {
        Runtime.getRuntime().addShutdownHook(Thread.ofPlatform().unstarted(() -> LIVE.forEach(ProcessPod::killTree)));
    }

    private final List<String> command;
    private final Map<String, String> environment;
    private final Path log;
    private final Scrubber scrubber;
    private final Runnable cleanup;
    private volatile Process process;
    private volatile boolean stopped;

    /**
     * @param environment the container's whole environment (nothing of arcsim's own is passed on)
     * @param cleanup     runs once the process has ended (removes its pod files)
     */
    public ProcessPod(String podName, Path serviceAccount, Path program, Map<String, String> environment, Path log,
                      Scrubber scrubber, Runnable cleanup) {
        this(podName, serviceAccount, program, List.of(), environment, log, scrubber, cleanup);
    }

    /** As a container whose command has {@code arguments}. */
    public ProcessPod(String podName, Path serviceAccount, Path program, List<String> arguments, Map<String, String> environment,
                      Path log, Scrubber scrubber, Runnable cleanup) {
        this.command = Sandbox.command(podName, serviceAccount, program, arguments);
        this.environment = Map.copyOf(environment);
        this.log = log;
        this.scrubber = scrubber;
        this.cleanup = cleanup;
    }

    @Override
    public int run() throws InterruptedException {
        Thread pump = null;
        try {
            synchronized (this) {
                if (stopped) {
                    return 143;   // stopped before it started
                }
                ProcessBuilder pb = new ProcessBuilder(command).redirectErrorStream(true);
                pb.environment().clear();
                pb.environment().putAll(environment);
                process = pb.start();
                LIVE.add(process);
            }
            Process p = process;
            pump = Thread.ofPlatform().daemon().name("pod-output-" + p.pid()).start(() -> pump(p));
            return p.waitFor();
        } catch (IOException e) {
            append("arcsim: could not start the container: " + e.getMessage());
            return 128;
        } finally {
            Process p = process;
            if (p != null) {
                if (p.isAlive()) {
                    killTree(p);   // the kubelet gave up on it (SIGKILL after grace, or the run ended)
                }
                LIVE.remove(p);
            }
            if (pump != null) {
                pump.join(2_000);
            }
            cleanup.run();
        }
    }

    /**
     * What a process wrote to {@code log}, for a one-line error: its last three lines, or with {@code firstLine} its
     * first line (where a refused flag is named, before the usage) and its last two. " (it wrote nothing)" when empty.
     */
    public static String said(Path log, boolean firstLine) {
        try {
            List<String> lines = Files.exists(log) ? Files.readAllLines(log, StandardCharsets.UTF_8) : List.of();
            if (lines.isEmpty()) {
                return " (it wrote nothing)";
            }
            List<String> said = lines.size() <= 3 ? lines : firstLine
                    ? List.of(lines.get(0), "...", lines.get(lines.size() - 2), lines.get(lines.size() - 1))
                    : lines.subList(lines.size() - 3, lines.size());
            return "; it said: " + String.join(" | ", said);
        } catch (IOException e) {
            return "";
        }
    }

    /** Whether it was sent a signal (or stopped before it started): an exit then was asked for. */
    public boolean stopped() {
        return stopped;
    }

    /** SIGTERM to the process group: ARC's listener then deletes its session and exits. */
    @Override
    public void terminate() {
        signal("TERM");
    }

    /** SIGKILL to the process group: nothing is cleaned up. */
    @Override
    public void kill() {
        signal("KILL");
    }

    private void signal(String name) {
        Process p;
        synchronized (this) {
            stopped = true;
            p = process;
        }
        if (p == null || !p.isAlive()) {
            return;
        }
        if (!group(name, p.pid())) {
            if (name.equals("KILL")) {
                killTree(p);
            } else {
                p.destroy();   // SIGTERM to the process itself
            }
        }
    }

    /** {@code kill -SIG -- -PGID}: the sandbox made the process its own group's leader. */
    private static boolean group(String signal, long pgid) {
        try {
            Process k = new ProcessBuilder("kill", "-" + signal, "--", "-" + pgid).redirectErrorStream(true)
                    .redirectOutput(ProcessBuilder.Redirect.DISCARD).start();
            return k.waitFor() == 0;
        } catch (IOException e) {
            return false;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return false;
        }
    }

    private static void killTree(Process p) {
        group("KILL", p.pid());
        p.descendants().forEach(ProcessHandle::destroyForcibly);
        p.destroyForcibly();
    }

    private void pump(Process p) {
        try (BufferedReader in = new BufferedReader(new InputStreamReader(p.getInputStream(), StandardCharsets.UTF_8));
             BufferedWriter out = Files.newBufferedWriter(log, StandardCharsets.UTF_8,
                     java.nio.file.StandardOpenOption.CREATE, java.nio.file.StandardOpenOption.APPEND)) {
            String line;
            while ((line = in.readLine()) != null) {
                out.write(scrubber.scrub(line));
                out.newLine();
                out.flush();
            }
        } catch (IOException e) {
            // the process is gone or the report folder is: its output ends here
        }
    }

    private void append(String line) {
        try {
            Files.writeString(log, scrubber.scrub(line) + System.lineSeparator(), StandardCharsets.UTF_8,
                    java.nio.file.StandardOpenOption.CREATE, java.nio.file.StandardOpenOption.APPEND);
        } catch (IOException ignored) {
            // nowhere left to say it
        }
    }
}
