package dev.arcsim.world.real;

import dev.arcsim.controller.crd.AutoscalingRunnerSet;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.PodBuilder;
import io.fabric8.kubernetes.api.model.Secret;
import io.fabric8.kubernetes.api.model.ServiceAccountBuilder;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientException;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.concurrent.TimeUnit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The real tier as users meet it: kubectl as they type it, pod-bound tokens held to RBAC, nothing left when it stops. */
class RealApiServerTest {

    private static RealApiServer server;
    private static Path kubeconfig;

    @BeforeAll
    static void start(@TempDir Path dir) throws Exception {
        RealTier tier = RealTierTests.require();
        server = RealApiServer.start(tier, RealApiServer.Options.defaults());
        kubeconfig = server.writeKubeconfig(dir.resolve("kubeconfig"));
    }

    @AfterAll
    static void stop() {
        if (server != null) {
            server.close();
        }
    }

    private record Ran(int exit, String output) {
    }

    private static Ran kubectl(Path stdin, String... args) throws Exception {
        List<String> command = new ArrayList<>(List.of(RealTier.require().kubectl().toString(), "--kubeconfig", kubeconfig.toString()));
        command.addAll(List.of(args));
        ProcessBuilder pb = new ProcessBuilder(command).redirectErrorStream(true);
        if (stdin != null) {
            pb.redirectInput(stdin.toFile());
        }
        Process p = pb.start();
        String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertTrue(p.waitFor(60, TimeUnit.SECONDS), "kubectl " + String.join(" ", args) + " ended");
        return new Ran(p.exitValue(), out);
    }

    private static final String RUNNER_SET = """
            apiVersion: actions.github.com/v1alpha1
            kind: AutoscalingRunnerSet
            metadata:
              name: %s
              namespace: arc-runners
            spec:
              githubConfigUrl: https://github.com/acme
              githubConfigSecret: github-config
              minRunners: 0
              maxRunners: %d
            """;

    @Test
    void kubectlWorksAsTheDocsTypeIt(@TempDir Path dir) throws Exception {
        Ran secret = kubectl(null, "create", "secret", "generic", "github-config", "-n", "arc-runners",
                "--from-literal=github_token=ghp_example");
        assertEquals(0, secret.exit(), secret.output());
        Secret stored = server.client().secrets().inNamespace("arc-runners").withName("github-config").get();
        assertEquals("ghp_example", new String(Base64.getDecoder().decode(stored.getData().get("github_token")), StandardCharsets.UTF_8));

        Path manifest = Files.writeString(dir.resolve("ars.yaml"), RUNNER_SET.formatted("validated", 5));
        Ran apply = kubectl(null, "apply", "-f", manifest.toString());
        assertEquals(0, apply.exit(), "kubectl apply with validation: " + apply.output());
        assertEquals(5, server.client().resources(AutoscalingRunnerSet.class).inNamespace("arc-runners").withName("validated")
                .get().getSpec().maxRunners);

        Path typo = Files.writeString(dir.resolve("typo.yaml"), RUNNER_SET.formatted("typo", 5).replace("maxRunners", "maxRunner"));
        Ran refused = kubectl(null, "apply", "-f", typo.toString());
        assertFalse(refused.exit() == 0, "an unknown field is refused: " + refused.output());
        assertTrue(refused.output().contains("maxRunner"), "the error names the field: " + refused.output());

        Path serverSide = Files.writeString(dir.resolve("ssa.yaml"), RUNNER_SET.formatted("validated", 7));
        Ran ssa = kubectl(null, "apply", "--server-side", "--field-manager", "arcsim-test", "--force-conflicts", "-f", serverSide.toString());
        assertEquals(0, ssa.exit(), "server-side apply: " + ssa.output());
        assertEquals(7, server.client().resources(AutoscalingRunnerSet.class).inNamespace("arc-runners").withName("validated")
                .get().getSpec().maxRunners);
    }

    @Test
    void aPodBoundTokenIsHeldToItsServiceAccountsRbac() {
        KubernetesClient admin = server.client();
        admin.serviceAccounts().inNamespace("arc-systems").resource(new ServiceAccountBuilder().withNewMetadata()
                .withName("no-rights").endMetadata().build()).create();
        Pod pod = admin.pods().inNamespace("arc-systems").resource(new PodBuilder().withNewMetadata().withName("bound")
                .endMetadata().withNewSpec().withServiceAccountName("no-rights").addNewContainer().withName("c").withImage("x")
                .endContainer().endSpec().build()).create();
        String token = server.podToken(pod);
        try (KubernetesClient asPod = server.newClient(token)) {
            KubernetesClientException e = assertThrows(KubernetesClientException.class,
                    () -> asPod.secrets().inNamespace("arc-runners").list());
            assertEquals(403, e.getCode(), "RBAC refuses what the account was not granted");
        }
    }

    @Test
    void stoppingLeavesNoProcessAndNoFolder() {
        RealApiServer other = RealApiServer.start(RealTierTests.require(), new RealApiServer.Options(false));
        List<Long> pids = other.pids();
        assertEquals(2, pids.size(), "etcd and kube-apiserver");
        assertTrue(pids.stream().allMatch(RealApiServerTest::alive));
        Path folder = other.folder();
        assertTrue(Files.isDirectory(folder));
        other.close();
        assertTrue(pids.stream().noneMatch(RealApiServerTest::alive), "every process of the stopped server ended");
        assertFalse(Files.exists(folder), "its folder is gone");
    }

    private static boolean alive(long pid) {
        return ProcessHandle.of(pid).map(ProcessHandle::isAlive).orElse(false);
    }
}
