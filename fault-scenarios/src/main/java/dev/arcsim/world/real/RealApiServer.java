package dev.arcsim.world.real;

import dev.arcsim.world.ArcCrds;
import dev.arcsim.world.process.Folders;
import dev.arcsim.world.tls.ClusterCa;
import io.fabric8.kubernetes.api.model.NamespaceBuilder;
import io.fabric8.kubernetes.api.model.ServiceAccountBuilder;
import io.fabric8.kubernetes.client.Config;
import io.fabric8.kubernetes.client.ConfigBuilder;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientBuilder;
import io.fabric8.kubernetes.client.KubernetesClientException;

import java.io.IOException;
import java.net.ServerSocket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.security.SecureRandom;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Base64;
import java.util.HexFormat;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;

/**
 * A real Kubernetes control plane on loopback, as envtest runs one (REAL-CLUSTER.md): etcd with its data in a temp
 * folder, kube-apiserver (TLS with the run's CA, RBAC, service-account token signing, so pod-bound tokens work and
 * the RBAC the controller writes is enforced) and, unless turned off, kube-controller-manager (garbage collection,
 * namespace deletion, service accounts). ARC's CRDs and the two namespaces are installed before it is handed out.
 *
 * <p>Every process is started from one keeper thread with {@code setpriv --pdeathsig KILL}: when that thread ends,
 * on {@link #close} or because the JVM was killed, the kernel kills them. Temp folders live under one root and carry
 * the pid that made them; a start sweeps away those of pids no longer running, so a killed run's folder goes with
 * the next one.
 */
public final class RealApiServer implements AutoCloseable {

    static final Duration READY_WITHIN = Duration.ofSeconds(60);
    private static final String ADMIN = "arcsim-admin";

    /**
     * @param crdFiles the CRDs to install (YAML files, ARC's own from a release's {@code crds/}); empty: the ones
     *                 arcsim's build generates
     */
    public record Options(boolean controllerManager, List<Path> crdFiles) {
        public Options(boolean controllerManager) {
            this(controllerManager, List.of());
        }

        public static Options defaults() {
            return new Options(true);
        }

        public Options withCrds(List<Path> files) {
            return new Options(controllerManager, List.copyOf(files));
        }
    }

    private final RealTier tier;
    private final Options options;
    private final Path dir;
    private final ClusterCa ca;
    private final String adminToken;
    private final List<Process> processes = new ArrayList<>();
    private final CountDownLatch stop = new CountDownLatch(1);
    private final Thread keeper;
    private final Thread shutdownHook;
    private final CompletableFuture<Void> started = new CompletableFuture<>();
    private int port;
    private KubernetesClient client;

    private RealApiServer(RealTier tier, Options options) throws IOException {
        this.tier = tier;
        this.options = options;
        sweep();
        this.dir = Files.createTempDirectory(root(), "run-" + ProcessHandle.current().pid() + "-");
        this.ca = ClusterCa.create(new dev.arcsim.listener.time.SystemScheduler().now());
        this.adminToken = HexFormat.of().formatHex(random(24));
        this.keeper = Thread.ofPlatform().name("real-apiserver-keeper").daemon().unstarted(this::keep);
        this.shutdownHook = Thread.ofPlatform().unstarted(this::stopProcesses);
    }

    /** Starts the control plane and waits until it is ready (about 2.5 s); a failure says which part and why. */
    public static RealApiServer start(RealTier tier, Options options) {
        RealApiServer server;
        try {
            server = new RealApiServer(tier, options);
        } catch (IOException e) {
            throw new IllegalStateException("cannot make the real API server's folder: " + e.getMessage(), e);
        }
        Runtime.getRuntime().addShutdownHook(server.shutdownHook);
        server.keeper.start();
        try {
            server.started.get(READY_WITHIN.toSeconds() + 30, TimeUnit.SECONDS);
            server.client = server.adminClientVia(server.url());
            server.install();
            return server;
        } catch (ExecutionException e) {
            server.close();
            throw e.getCause() instanceof RuntimeException r ? r : new IllegalStateException(e.getCause().getMessage(), e.getCause());
        } catch (InterruptedException e) {
            server.close();
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted while starting the real API server");
        } catch (java.util.concurrent.TimeoutException e) {
            server.close();
            throw new IllegalStateException("the real API server did not start within " + READY_WITHIN);
        } catch (RuntimeException e) {
            server.close();
            throw e;
        }
    }

    /** The keeper: starts every process, then waits for {@link #close}; its end kills what is left (pdeathsig). */
    private void keep() {
        try {
            startAll();
            started.complete(null);
            stop.await();
        } catch (Throwable t) {
            started.completeExceptionally(t);
        } finally {
            stopProcesses();
        }
    }

    private void startAll() throws IOException, InterruptedException, java.security.GeneralSecurityException {
        Path certs = Files.createDirectories(dir.resolve("pki"));
        Folders.writePrivate(certs.resolve("ca.crt"), ca.caPem());
        Folders.writePrivate(certs.resolve("apiserver.crt"), ca.serverCertificatePem());
        Folders.writePrivate(certs.resolve("apiserver.key"), ca.serverKeyPem());
        KeyPairGenerator rsa = KeyPairGenerator.getInstance("RSA");
        rsa.initialize(2048);
        KeyPair sa = rsa.generateKeyPair();
        Folders.writePrivate(certs.resolve("sa.key"), ClusterCa.pemBlock("PRIVATE KEY", sa.getPrivate().getEncoded()));
        Folders.writePrivate(certs.resolve("sa.pub"), ClusterCa.pemBlock("PUBLIC KEY", sa.getPublic().getEncoded()));
        Folders.writePrivate(certs.resolve("tokens.csv"), adminToken + "," + ADMIN + "," + ADMIN + ",\"system:masters\"\n");

        int etcdClient = freePort();
        int etcdPeer = freePort();
        port = freePort();
        Process etcd = launch("etcd", List.of(tier.etcd().toString(), "--name", "arcsim", "--data-dir", dir.resolve("etcd").toString(),
                "--listen-client-urls", "http://127.0.0.1:" + etcdClient, "--advertise-client-urls", "http://127.0.0.1:" + etcdClient,
                "--listen-peer-urls", "http://127.0.0.1:" + etcdPeer, "--initial-advertise-peer-urls", "http://127.0.0.1:" + etcdPeer,
                "--initial-cluster", "arcsim=http://127.0.0.1:" + etcdPeer, "--unsafe-no-fsync", "--log-level", "warn"));
        Process apiServer = launch("kube-apiserver", List.of(tier.apiServer().toString(),
                "--etcd-servers", "http://127.0.0.1:" + etcdClient, "--bind-address", "127.0.0.1", "--advertise-address", "127.0.0.1",
                "--secure-port", Integer.toString(port), "--tls-cert-file", certs.resolve("apiserver.crt").toString(),
                "--tls-private-key-file", certs.resolve("apiserver.key").toString(),
                "--client-ca-file", certs.resolve("ca.crt").toString(),
                "--token-auth-file", certs.resolve("tokens.csv").toString(), "--authorization-mode", "RBAC",
                "--service-cluster-ip-range", "10.0.0.0/24", "--service-account-issuer", "https://kubernetes.default.svc.cluster.local",
                "--service-account-key-file", certs.resolve("sa.pub").toString(),
                "--service-account-signing-key-file", certs.resolve("sa.key").toString(),
                "--endpoint-reconciler-type", "none", "--cert-dir", certs.resolve("generated").toString()));
        awaitReady(apiServer, etcd);
        if (options.controllerManager()) {
            Path kubeconfig = writeKubeconfig(dir.resolve("controller-manager.kubeconfig"));
            launch("kube-controller-manager", List.of(tier.controllerManager().toString(), "--kubeconfig", kubeconfig.toString(),
                    "--leader-elect=false", "--secure-port", "0", "--controllers", "*",
                    "--service-account-private-key-file", certs.resolve("sa.key").toString(),
                    "--root-ca-file", certs.resolve("ca.crt").toString()));
        }
    }

    private Process launch(String name, List<String> command) throws IOException {
        List<String> full = new ArrayList<>(List.of("setpriv", "--pdeathsig", "KILL", "--"));
        full.addAll(command);
        Process p = new ProcessBuilder(full).redirectErrorStream(true)
                .redirectOutput(dir.resolve(name + ".log").toFile()).start();
        synchronized (processes) {
            processes.add(p);
        }
        return p;
    }

    private void awaitReady(Process apiServer, Process etcd) throws InterruptedException {
        HttpClient http = HttpClient.newBuilder().sslContext(ca.clientContext()).connectTimeout(Duration.ofSeconds(2)).build();
        HttpRequest readyz = HttpRequest.newBuilder(URI.create(url() + "/readyz")).header("Authorization", "Bearer " + adminToken)
                .timeout(Duration.ofSeconds(5)).build();
        var clock = new dev.arcsim.listener.time.SystemScheduler();
        var deadline = clock.now().plus(READY_WITHIN);
        String last = "no answer";
        while (clock.now().isBefore(deadline)) {
            for (var entry : List.of(java.util.Map.entry("etcd", etcd), java.util.Map.entry("kube-apiserver", apiServer))) {
                if (!entry.getValue().isAlive()) {
                    throw new IllegalStateException(entry.getKey() + " ended at start (exit " + entry.getValue().exitValue()
                            + "): " + logTail(entry.getKey()));
                }
            }
            try {
                HttpResponse<String> r = http.send(readyz, HttpResponse.BodyHandlers.ofString());
                if (r.statusCode() == 200) {
                    return;
                }
                last = "HTTP " + r.statusCode();
            } catch (IOException e) {
                last = e.getClass().getSimpleName();
            }
            clock.sleep(Duration.ofMillis(100));
        }
        throw new IllegalStateException("kube-apiserver was not ready within " + READY_WITHIN + " (" + last + "): " + logTail("kube-apiserver"));
    }

    /** ARC's CRDs, established; the controller's and the runners' namespaces, each with its default service account. */
    private void install() {
        ArcCrds.install(client, options.crdFiles().isEmpty() ? ArcCrds.all() : ArcCrds.read(options.crdFiles()), true);
        for (String ns : List.of(dev.arcsim.world.World.CONTROLLER_NAMESPACE, dev.arcsim.world.World.RUNNER_NAMESPACE)) {
            client.namespaces().resource(new NamespaceBuilder().withNewMetadata().withName(ns).endMetadata().build()).createOr(n -> n.update());
            try {
                // kube-controller-manager makes it too, a moment later; pods that name no service account need it now
                client.serviceAccounts().inNamespace(ns).resource(new ServiceAccountBuilder().withNewMetadata().withName("default")
                        .endMetadata().build()).create();
            } catch (KubernetesClientException e) {
                if (e.getCode() != 409) {
                    throw e;
                }
            }
        }
    }

    /** The last lines a process wrote, for an error. */
    public String logTail(String process) {
        try {
            List<String> lines = Files.readAllLines(dir.resolve(process + ".log"), StandardCharsets.UTF_8);
            return String.join("\n  ", lines.subList(Math.max(0, lines.size() - 8), lines.size()));
        } catch (IOException e) {
            return "(no log: " + e.getMessage() + ")";
        }
    }

    public String url() {
        return "https://127.0.0.1:" + port;
    }

    /** The processes it started, in order (etcd, kube-apiserver, kube-controller-manager). */
    public List<Long> pids() {
        synchronized (processes) {
            return processes.stream().map(Process::pid).toList();
        }
    }

    /** Its temp folder (certificates, etcd's data, the processes' logs), removed on {@link #close}. */
    public Path folder() {
        return dir;
    }

    public int port() {
        return port;
    }

    /** The CA that signed the server's certificate: a pod's {@code ca.crt}. */
    public String caPem() {
        return ca.caPem();
    }

    /** An admin client (system:masters). */
    public KubernetesClient client() {
        return client;
    }

    /** The CA behind the server's certificate, for a front that serves as the server. */
    public ClusterCa ca() {
        return ca;
    }

    /** An admin client of the server at {@code url} (this one, or a front serving its certificate). */
    public KubernetesClient adminClientVia(String url) {
        return clientVia(url, adminToken);
    }

    /**
     * A token for the pod's service account, bound to the pod (TokenRequest), as the kubelet mounts one: the API
     * server holds whoever shows it to the RBAC of that account, and it stops working when the pod is deleted.
     */
    public String podToken(io.fabric8.kubernetes.api.model.Pod pod) {
        String account = pod.getSpec().getServiceAccountName() == null || pod.getSpec().getServiceAccountName().isBlank()
                ? "default" : pod.getSpec().getServiceAccountName();
        var request = new io.fabric8.kubernetes.api.model.authentication.TokenRequestBuilder().withNewSpec()
                .withExpirationSeconds(3600L).withNewBoundObjectRef().withApiVersion("v1").withKind("Pod")
                .withName(pod.getMetadata().getName()).withUid(pod.getMetadata().getUid()).endBoundObjectRef().endSpec().build();
        return client.serviceAccounts().inNamespace(pod.getMetadata().getNamespace()).withName(account).tokenRequest(request)
                .getStatus().getToken();
    }

    /** A token of a service account bound to no pod (a day long), as a Secret-less workload outside a pod gets one. */
    public String serviceAccountToken(String namespace, String account) {
        var request = new io.fabric8.kubernetes.api.model.authentication.TokenRequestBuilder().withNewSpec()
                .withExpirationSeconds(86_400L).endSpec().build();
        return client.serviceAccounts().inNamespace(namespace).withName(account).tokenRequest(request).getStatus().getToken();
    }

    /** A client that authenticates with {@code token} (a service account's, to be held to its RBAC). */
    public KubernetesClient newClient(String token) {
        return clientVia(url(), token);
    }

    /** A client of the server at {@code url} (a front serving its certificate) that authenticates with {@code token}. */
    public KubernetesClient clientVia(String url, String token) {
        Config config = new ConfigBuilder(Config.empty()).withMasterUrl(url).withCaCertData(base64(ca.caPem()))
                .withOauthToken(token).withNamespace(dev.arcsim.world.World.RUNNER_NAMESPACE).withRequestTimeout(30_000)
                .withConnectionTimeout(5_000).build();
        return new KubernetesClientBuilder().withConfig(config).build();
    }

    /** A kubeconfig for kubectl and other clients, as the cluster's admin (the file is readable by its owner only). */
    public Path writeKubeconfig(Path file) throws IOException {
        String config = """
                apiVersion: v1
                kind: Config
                clusters:
                - name: arcsim-real
                  cluster:
                    server: %s
                    certificate-authority-data: %s
                contexts:
                - name: arcsim-real
                  context:
                    cluster: arcsim-real
                    user: %s
                    namespace: %s
                current-context: arcsim-real
                users:
                - name: %s
                  user:
                    token: %s
                """.formatted(url(), base64(ca.caPem()), ADMIN, dev.arcsim.world.World.RUNNER_NAMESPACE, ADMIN, adminToken);
        Path parent = file.toAbsolutePath().getParent();
        Files.createDirectories(parent);
        Folders.writePrivate(file, config);
        return file;
    }

    @Override
    public void close() {
        if (client != null) {
            client.close();
        }
        stop.countDown();
        try {
            keeper.join(Duration.ofSeconds(20));
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        stopProcesses();
        try {
            Runtime.getRuntime().removeShutdownHook(shutdownHook);
        } catch (IllegalStateException shuttingDown) {
            // the hook is running or ran
        }
        try {
            RealTierInstaller.deleteTree(dir);
        } catch (IOException e) {
            // the next start sweeps it
        }
    }

    /** SIGTERM in reverse order of start (the controller manager, the API server, then etcd), SIGKILL after 5 s. */
    private void stopProcesses() {
        List<Process> all;
        synchronized (processes) {
            all = new ArrayList<>(processes).reversed();
        }
        for (Process p : all) {
            p.destroy();
            try {
                if (!p.waitFor(5, TimeUnit.SECONDS)) {
                    p.destroyForcibly().waitFor(5, TimeUnit.SECONDS);
                }
            } catch (InterruptedException e) {
                p.destroyForcibly();
                Thread.currentThread().interrupt();
            }
        }
    }

    private static Path root() throws IOException {
        return Files.createDirectories(Path.of(System.getProperty("java.io.tmpdir"), "arcsim-kube"));
    }

    /** Removes the folders of runs whose process is gone (a killed run cannot remove its own). */
    private static void sweep() throws IOException {
        try (var runs = Files.list(root())) {
            for (Path run : runs.toList()) {
                String[] parts = run.getFileName().toString().split("-");
                if (parts.length >= 3 && parts[0].equals("run")) {
                    try {
                        long pid = Long.parseLong(parts[1]);
                        if (ProcessHandle.of(pid).map(ProcessHandle::isAlive).orElse(false)) {
                            continue;
                        }
                        RealTierInstaller.deleteTree(run);
                    } catch (NumberFormatException | IOException e) {
                        // not one of ours, or in use: leave it
                    }
                }
            }
        }
    }

    private static int freePort() throws IOException {
        try (ServerSocket s = new ServerSocket(0, 1, java.net.InetAddress.getLoopbackAddress())) {
            return s.getLocalPort();
        }
    }

    private static byte[] random(int n) {
        byte[] b = new byte[n];
        new SecureRandom().nextBytes(b);
        return b;
    }

    private static String base64(String s) {
        return Base64.getEncoder().encodeToString(s.getBytes(StandardCharsets.US_ASCII));
    }
}
