package dev.arcsim.cli;

import dev.arcsim.fake.FakeGitHub;
import dev.arcsim.fake.http.FakeGitHubServer;
import dev.arcsim.fake.state.Tenant;
import dev.arcsim.fake.time.SystemScheduler;
import io.fabric8.kubernetes.api.model.GenericKubernetesResourceBuilder;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.dsl.base.ResourceDefinitionContext;
import io.fabric8.kubernetes.client.server.mock.EnableKubernetesMockClient;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import picocli.CommandLine;

import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** {@code arcsim listener} as a pod runs it. */
@EnableKubernetesMockClient(crud = true)
class ListenerCommandTest {

    static KubernetesClient client;

    private static String config(String baseUrl, long scaleSetId, String extra) {
        return "{\"configure_url\":\"" + baseUrl + "/acme\",\"github_token\":\"ghp_cli_secret\","
                + "\"ephemeral_runner_set_namespace\":\"arc-runners\",\"ephemeral_runner_set_name\":\"set-abcde\","
                + "\"min_runners\":0,\"max_runners\":5,\"runner_scale_set_id\":" + scaleSetId + ","
                + "\"runner_scale_set_name\":\"arc-runner-set\",\"log_level\":\"info\",\"log_format\":\"json\"" + extra + "}";
    }

    @Test
    void badInputExitsWith2AndNamesTheFieldInArcsWords(@TempDir Path dir) throws Exception {
        Path bad = dir.resolve("config.json");
        Files.writeString(bad, config("http://127.0.0.1:1", 0, ""));
        List<List<String>> cases = List.of(
                List.of("listener", "--config", bad.toString()),
                List.of("listener", "--config", dir.resolve("missing.json").toString()),
                List.of("listener"));
        List<String> expected = List.of("RunnerScaleSetId \"0\" is missing", "does not exist",
                "LISTENER_CONFIG_PATH environment variable is not set");
        for (int i = 0; i < cases.size(); i++) {
            StringWriter err = new StringWriter();
            CommandLine cli = ArcsimCommand.commandLine();
            cli.setErr(new PrintWriter(err));
            assertEquals(2, cli.execute(cases.get(i).toArray(String[]::new)), err.toString());
            assertTrue(err.toString().contains(expected.get(i)), err.toString());
        }
        Files.writeString(bad, config("http://127.0.0.1:1", 7, ""));
        StringWriter err = new StringWriter();
        CommandLine cli = ArcsimCommand.commandLine();
        cli.setErr(new PrintWriter(err));
        assertEquals(2, cli.execute("listener", "--config", bad.toString(), "--policy", "fast"));
        assertTrue(err.toString().contains("unknown policy \"fast\""), err.toString());
    }

    @Test
    void sigtermDeletesTheSessionAndExits0(@TempDir Path dir) throws Exception {
        FakeGitHub fake = new FakeGitHub(new SystemScheduler(), FakeGitHub.Options.defaults());
        try (FakeGitHubServer server = FakeGitHubServer.start(fake, 0)) {
            Tenant tenant = fake.state().tenantFor("organization", "acme", "acme", null);
            long id = fake.state().createScaleSet(tenant, "arc-runner-set", null, null, null).id();
            client.genericKubernetesResources(new ResourceDefinitionContext.Builder().withGroup("actions.github.com")
                            .withVersion("v1alpha1").withKind("EphemeralRunnerSet").withPlural("ephemeralrunnersets")
                            .withNamespaced(true).build())
                    .inNamespace("arc-runners").resource(new GenericKubernetesResourceBuilder()
                            .withApiVersion("actions.github.com/v1alpha1").withKind("EphemeralRunnerSet")
                            .withNewMetadata().withName("set-abcde").withNamespace("arc-runners").endMetadata()
                            .addToAdditionalProperties("spec", Map.of("patchID", 0)).build())
                    .create();
            Path file = dir.resolve("config.json");
            Files.writeString(file, config(server.baseUrl(), id, ",\"arcsim_state_store\":\"memory\""));

            String java = ProcessHandle.current().info().command().orElse("java");
            Process p = new ProcessBuilder(java,
                    "-Dkubernetes.master=" + client.getMasterUrl(), "-Dkubernetes.trust.certificates=true",
                    "-Dkubernetes.auth.tryKubeConfig=false", "-Dkubernetes.auth.tryServiceAccount=false",
                    "-cp", System.getProperty("java.class.path"), ArcsimCommand.class.getName(),
                    "listener", "--config", file.toString())
                    .redirectErrorStream(true).redirectOutput(dir.resolve("listener.log").toFile()).start();
            try {
                await().atMost(Duration.ofSeconds(60)).until(() -> fake.state().snapshot().sessions().size() == 1
                        && fake.state().snapshot().sessions().get(0).pollsInFlight() > 0);
                new ProcessBuilder("kill", "-TERM", Long.toString(p.pid())).start().waitFor(10, TimeUnit.SECONDS);
                assertTrue(p.waitFor(40, TimeUnit.SECONDS), "still running 40 s after SIGTERM");
                String log = Files.readString(dir.resolve("listener.log"));
                assertEquals(0, p.exitValue(), log);
                assertEquals(0, fake.state().snapshot().sessions().size(), "the session was deleted: " + log);
                assertTrue(log.contains("\"level\":\"INFO\""), "log_format json: " + log);
                assertFalse(log.contains("ghp_cli_secret"), log);
            } finally {
                p.destroyForcibly();
            }
        }
    }
}
