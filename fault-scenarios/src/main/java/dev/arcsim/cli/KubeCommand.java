package dev.arcsim.cli;

import dev.arcsim.world.EmbeddedApiServer;
import dev.arcsim.world.real.RealApiServer;
import dev.arcsim.world.real.RealTier;
import dev.arcsim.world.real.RealTierInstaller;
import dev.arcsim.world.tls.ClusterCa;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

import java.io.IOException;
import java.io.PrintWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.Callable;

/** {@code arcsim kube}: the embedded Kubernetes API server. */
@Command(name = "kube", mixinStandardHelpOptions = true,
        description = "Kubernetes API servers: the embedded mock, and a real one (etcd, kube-apiserver, kube-controller-manager).",
        subcommands = {KubeCommand.Serve.class, KubeCommand.Install.class})
public final class KubeCommand implements Runnable {

    @CommandLine.Spec
    CommandLine.Model.CommandSpec spec;

    @Override
    public void run() {
        spec.commandLine().usage(spec.commandLine().getOut());
    }

    @Command(name = "serve", mixinStandardHelpOptions = true,
            description = {"Serve an embedded Kubernetes API server (CRUD) on 127.0.0.1 with ARC's CRDs installed, and write",
                    "a kubeconfig for it: kubectl get/apply/patch/delete work for the four ARC kinds, pods and secrets.",
                    "Not served: OpenAPI (use kubectl apply --validate=false), server-side apply, garbage collection.",
                    "With --tls it serves HTTPS with a CA made for this run, and the kubeconfig carries the CA.",
                    "With --real it runs a real control plane instead (install it first: arcsim kube install)."})
    static final class Serve implements Callable<Integer> {

        @Option(names = "--real", description = "Run etcd, kube-apiserver (HTTPS, RBAC, service-account tokens) and "
                + "kube-controller-manager (garbage collection) on loopback, with ARC's CRDs installed; stopped, with their "
                + "temp folder, when this command stops.")
        boolean real;

        @Option(names = "--no-controller-manager", description = "With --real: no kube-controller-manager, so nothing "
                + "collects owned objects.")
        boolean noControllerManager;

        @Option(names = "--port", description = "TCP port on 127.0.0.1 (0 picks a free one). Default: ${DEFAULT-VALUE}.",
                defaultValue = "0")
        int port;

        @Option(names = "--kubeconfig", paramLabel = "FILE", description = "Where to write the kubeconfig. Default: ${DEFAULT-VALUE}.",
                defaultValue = "reports/embedded-kubeconfig.yaml")
        Path kubeconfig;

        @Option(names = "--tls", description = "Serve HTTPS with a certificate from a CA made for this run (valid 30 days) "
                + "for 127.0.0.1, localhost and kubernetes.default.svc; the kubeconfig carries the CA, and --ca-file "
                + "writes it for clients that take a file (a pod's ca.crt).")
        boolean tls;

        @Option(names = "--ca-file", paramLabel = "FILE", description = "With --tls: also write the CA certificate (PEM) here.")
        Path caFile;

        @CommandLine.Spec
        CommandLine.Model.CommandSpec spec;

        @Override
        public Integer call() throws InterruptedException {
            if (real) {
                return serveReal();
            }
            if (noControllerManager) {
                throw new ArcsimCommand.UserError("--no-controller-manager goes with --real: the embedded server has none");
            }
            if (caFile != null && !tls) {
                throw new ArcsimCommand.UserError("--ca-file needs --tls: a plain-HTTP server has no CA");
            }
            if (port < 0 || port > 65535) {
                throw new ArcsimCommand.UserError("--port must be between 0 and 65535, got " + port);
            }
            ClusterCa ca = tls ? ClusterCa.create(new dev.arcsim.listener.time.SystemScheduler().now()) : null;
            EmbeddedApiServer server;
            try {
                server = EmbeddedApiServer.start(port, ca);
            } catch (RuntimeException e) {
                throw new ArcsimCommand.UserError("cannot serve on 127.0.0.1:" + port + ": " + e.getMessage());
            }
            Path written;
            try {
                written = server.writeKubeconfig(kubeconfig);
            } catch (IOException e) {
                server.close();
                throw new ArcsimCommand.UserError("cannot write the kubeconfig " + kubeconfig + ": " + e.getMessage());
            }
            if (caFile != null) {
                try {
                    Path folder = caFile.toAbsolutePath().getParent();
                    if (folder != null) {
                        Files.createDirectories(folder);
                    }
                    Files.writeString(caFile, ca.caPem());
                } catch (IOException e) {
                    server.close();
                    throw new ArcsimCommand.UserError("cannot write the CA file " + caFile + ": " + e.getMessage());
                }
            }
            PrintWriter out = spec.commandLine().getOut();
            out.println("embedded Kubernetes API server listening on " + server.url());
            out.println("  kubeconfig: " + written.toAbsolutePath());
            if (caFile != null) {
                out.println("  CA certificate: " + caFile.toAbsolutePath());
            }
            out.println("  try: kubectl --kubeconfig " + written + " get crds");
            out.flush();
            return ArcsimCommand.serveUntilStopped(server, out, "embedded Kubernetes API server");
        }

        private Integer serveReal() throws InterruptedException {
            if (tls || port != 0) {
                throw new ArcsimCommand.UserError((tls ? "--tls" : "--port") + " is for the embedded server: the real one "
                        + "always serves HTTPS, on a free loopback port");
            }
            RealTier tier = realTier();
            PrintWriter out = spec.commandLine().getOut();
            out.println("starting etcd, kube-apiserver" + (noControllerManager ? "" : " and kube-controller-manager") + " "
                    + RealTier.KUBERNETES + " ...");
            out.flush();
            RealApiServer server;
            try {
                server = RealApiServer.start(tier, new RealApiServer.Options(!noControllerManager));
            } catch (RuntimeException e) {
                throw new ArcsimCommand.UserError("cannot start the real API server: " + e.getMessage());
            }
            Path written;
            try {
                written = server.writeKubeconfig(kubeconfig);
                if (caFile != null) {
                    Path folder = caFile.toAbsolutePath().getParent();
                    Files.createDirectories(folder);
                    Files.writeString(caFile, server.caPem());
                }
            } catch (IOException e) {
                server.close();
                throw new ArcsimCommand.UserError("cannot write " + e.getMessage());
            }
            out.println("real Kubernetes API server listening on " + server.url());
            out.println("  kubeconfig: " + written.toAbsolutePath() + " (cluster admin; readable by you only)");
            out.println("  try: kubectl --kubeconfig " + written + " create secret generic github-config "
                    + "--from-literal=github_token=ghp_example -n arc-runners");
            out.flush();
            return ArcsimCommand.serveUntilStopped(server, out, "real Kubernetes API server");
        }
    }

    /** The installed real tier, or a one-line error that says how to install it. */
    static RealTier realTier() {
        try {
            return RealTier.require();
        } catch (RealTier.NotInstalled e) {
            throw new ArcsimCommand.UserError(e.getMessage());
        }
    }

    @Command(name = "install", mixinStandardHelpOptions = true,
            description = {"Build the real Kubernetes tier from the Go module proxy: etcd " + RealTier.ETCD + ", kube-apiserver,",
                    "kube-controller-manager and kubectl " + RealTier.KUBERNETES + ", into a cache outside the checkout",
                    "(ARCSIM_KUBE_HOME, else ~/.cache/arcsim/kube). Needs Go 1.26+, the proxy, and about 5 GB of disk;",
                    "about 5 minutes cold on 2 cores, and nothing to do once installed."})
    static final class Install implements Callable<Integer> {

        @Option(names = "--force", description = "Build again though the binaries are there.")
        boolean force;

        @CommandLine.Spec
        CommandLine.Model.CommandSpec spec;

        @Override
        public Integer call() throws InterruptedException {
            try {
                new RealTierInstaller(spec.commandLine().getOut()).install(force);
                return 0;
            } catch (RealTierInstaller.Failed e) {
                throw new ArcsimCommand.UserError("kube install: " + e.getMessage());
            }
        }
    }
}
