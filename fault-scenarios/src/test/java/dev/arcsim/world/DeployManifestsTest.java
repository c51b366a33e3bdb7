package dev.arcsim.world;

import dev.arcsim.controller.crd.AutoscalingRunnerSet;
import dev.arcsim.cli.ArcsimCommand;
import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.api.model.ServiceAccount;
import io.fabric8.kubernetes.api.model.networking.v1.NetworkPolicy;
import io.fabric8.kubernetes.client.utils.Serialization;
import io.fabric8.kubernetes.api.model.apps.Deployment;
import io.fabric8.kubernetes.api.model.rbac.ClusterRole;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import picocli.CommandLine;

import java.io.File;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

/** The deploy/ manifests and the CRDs, applied with the real kubectl to the embedded API server. */
class DeployManifestsTest {

    private static boolean kubectlOnPath() {
        for (String dir : System.getenv().getOrDefault("PATH", "").split(File.pathSeparator)) {
            if (Files.isExecutable(Path.of(dir, "kubectl"))) {
                return true;
            }
        }
        return false;
    }

    private static String kubectl(Path kubeconfig, String... args) throws Exception {
        List<String> command = new ArrayList<>(List.of("kubectl", "--kubeconfig", kubeconfig.toString(), "--request-timeout=20s"));
        command.addAll(List.of(args));
        Process p = new ProcessBuilder(command).redirectErrorStream(true).start();
        assertTrue(p.waitFor(60, TimeUnit.SECONDS), "kubectl " + String.join(" ", args) + " did not finish");
        String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertEquals(0, p.exitValue(), "kubectl " + String.join(" ", args) + ":\n" + out);
        return out;
    }

    @Test
    void kubectlAppliesTheManifestsAndTheCrdsAndReadsThemBack(@TempDir Path dir) throws Exception {
        assumeTrue(kubectlOnPath(), "kubectl is not on the PATH");
        Path root = Path.of("..").toAbsolutePath().normalize();
        try (EmbeddedApiServer server = EmbeddedApiServer.start(0)) {
            Path kubeconfig = server.writeKubeconfig(dir.resolve("kubeconfig.yaml"));
            kubectl(kubeconfig, "apply", "--validate=false", "-f", root.resolve("reference-listener/crds").toString());
            kubectl(kubeconfig, "apply", "--validate=false", "-f", root.resolve("deploy/namespaces.yaml").toString(),
                    "-f", root.resolve("deploy/controller.yaml").toString(), "-f", root.resolve("deploy/fake-github.yaml").toString());
            Path ars = dir.resolve("ars.yaml");
            Files.writeString(ars, """
                    apiVersion: actions.github.com/v1alpha1
                    kind: AutoscalingRunnerSet
                    metadata: {name: arc-runner-set, namespace: arc-runners}
                    spec: {githubConfigUrl: "http://fake-github.arc-systems.svc:8765/acme", githubConfigSecret: github-config,
                           minRunners: 0, maxRunners: 5}
                    """);
            kubectl(kubeconfig, "apply", "--validate=false", "-f", ars.toString());
            kubectl(kubeconfig, "patch", "autoscalingrunnerset", "arc-runner-set", "-n", "arc-runners", "--type=merge",
                    "-p", "{\"spec\":{\"maxRunners\":7}}");
            String listed = kubectl(kubeconfig, "get", "autoscalingrunnersets,deployments,crds", "-A");
            assertTrue(listed.contains("arc-runner-set") && listed.contains("arcsim-controller") && listed.contains("fake-github"), listed);

            var client = server.client();
            assertEquals(4, client.apiextensions().v1().customResourceDefinitions().list().getItems().size());
            assertEquals(2, client.apps().deployments().inNamespace("arc-systems").list().getItems().size());
            assertTrue(client.resources(ServiceAccount.class).inNamespace("arc-systems").withName("arcsim-controller").get() != null);
            assertTrue(client.resources(ClusterRole.class).withName("arcsim-controller").get() != null);
            Deployment controller = client.apps().deployments().inNamespace("arc-systems").withName("arcsim-controller").get();
            assertEquals("arcsim-controller", controller.getSpec().getTemplate().getSpec().getServiceAccountName());
            AutoscalingRunnerSet read = client.resources(AutoscalingRunnerSet.class).inNamespace("arc-runners").withName("arc-runner-set").get();
            assertEquals(7, read.getSpec().maxRunners);

            NetworkPolicy policy = client.network().v1().networkPolicies().inNamespace("arc-systems").withName("fake-github").get();
            assertEquals(Map.of("app.kubernetes.io/name", "fake-github"), policy.getSpec().getPodSelector().getMatchLabels());
            assertEquals(List.of("Ingress"), policy.getSpec().getPolicyTypes());
            List<Map<String, String>> admitted = policy.getSpec().getIngress().get(0).getFrom().stream()
                    .map(peer -> peer.getNamespaceSelector().getMatchLabels()).toList();
            assertEquals(List.of(Map.of("kubernetes.io/metadata.name", "arc-systems"),
                    Map.of("kubernetes.io/metadata.name", "arc-runners"),
                    Map.of("arcsim.dev/fake-github-client", "true")), admitted);
        }
    }

    /** The fake in the cluster binds 0.0.0.0, so its admin token must come from a Secret, and the manifest must hold none. */
    @Test
    void fakeGitHubReadsItsAdminTokenFromASecretTheManifestsDoNotHold() throws Exception {
        Path root = Path.of("..").toAbsolutePath().normalize();
        List<HasMetadata> objects;
        try (var in = Files.newInputStream(root.resolve("deploy/fake-github.yaml"))) {
            objects = Serialization.unmarshal(in);
        }
        Deployment fake = objects.stream().filter(Deployment.class::isInstance).map(Deployment.class::cast).findFirst().orElseThrow();
        var pod = fake.getSpec().getTemplate().getSpec();
        List<String> command = pod.getContainers().get(0).getCommand();
        List<String> args = command.subList(command.indexOf("/opt/arcsim/arcsim.jar") + 1, command.size());
        assertEquals("serve", args.get(0));
        String tokenFile = args.get(args.indexOf("--admin-token-file") + 1);
        assertEquals("0.0.0.0", args.get(args.indexOf("--bind") + 1));
        var mount = pod.getContainers().get(0).getVolumeMounts().stream()
                .filter(m -> tokenFile.startsWith(m.getMountPath() + "/")).findFirst().orElseThrow();
        var volume = pod.getVolumes().stream().filter(v -> v.getName().equals(mount.getName())).findFirst().orElseThrow();
        assertEquals("fake-github-admin", volume.getSecret().getSecretName());
        assertEquals(tokenFile.substring(mount.getMountPath().length() + 1), volume.getSecret().getItems().get(0).getPath());
        assertEquals(0400, volume.getSecret().getDefaultMode());

        // the command line is one arcsim's own CLI takes (serve then reads the mounted file; ServeCommandTest runs that)
        CommandLine.ParseResult parsed = ArcsimCommand.commandLine().parseArgs(args.toArray(String[]::new));
        assertTrue(parsed.hasSubcommand());
        try (var manifests = Files.list(root.resolve("deploy"))) {
            for (Path manifest : manifests.filter(p -> p.toString().endsWith(".yaml")).toList()) {
                assertFalse(Files.readString(manifest).contains("kind: Secret"), manifest + " must not ship a Secret");
            }
        }
    }
}
