package dev.arcsim.cli;

import dev.arcsim.fake.http.FakeGitHubServer;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import picocli.CommandLine;

import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;

import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** {@code arcsim serve} as a user runs it. */
class ServeCommandTest {

    private static final HttpClient HTTP = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();

    private static HttpResponse<String> send(String method, String url, String body) throws Exception {
        return HTTP.send(HttpRequest.newBuilder(URI.create(url)).timeout(Duration.ofSeconds(10))
                .method(method, body == null ? HttpRequest.BodyPublishers.noBody() : HttpRequest.BodyPublishers.ofString(body))
                .build(), HttpResponse.BodyHandlers.ofString());
    }

    @Test
    void servesOnLoopbackPrintsItsAddressAndAppliesItsConfig(@TempDir Path dir) throws Exception {
        Path config = dir.resolve("fake.yaml");
        Files.writeString(config, "rules:\n  longPollSeconds: 7\n");
        ServeCommand serve = new ServeCommand();
        CommandLine cli = new CommandLine(serve);
        cli.parseArgs("--port", "0", "--config", config.toString());
        StringWriter out = new StringWriter();
        try (FakeGitHubServer server = serve.start(new PrintWriter(out))) {
            String first = out.toString().lines().findFirst().orElseThrow();
            assertEquals("fake-github listening on http://127.0.0.1:" + server.port(), first);
            var rules = send("GET", server.baseUrl() + "/_arcsim/rules", null);
            assertEquals(200, rules.statusCode());
            assertTrue(rules.body().contains("\"longPollSeconds\":7"));
            var token = send("POST", server.baseUrl() + "/api/v3/orgs/acme/actions/runners/registration-token", null);
            assertEquals(401, token.statusCode(), "no Authorization header is refused");
        }
    }

    @Test
    void badInputExitsWith2AndOneClearLine(@TempDir Path dir) throws Exception {
        Path bad = dir.resolve("bad.yaml");
        Files.writeString(bad, "rules:\n  sessionConflict: lenient\n");
        for (List<String> args : List.of(List.of("serve", "--config", bad.toString()),
                List.of("serve", "--config", dir.resolve("missing.yaml").toString()),
                List.of("serve", "--port", "70000"))) {
            StringWriter err = new StringWriter();
            CommandLine cli = ArcsimCommand.commandLine();
            cli.setErr(new PrintWriter(err));
            int code = cli.execute(args.toArray(String[]::new));
            assertEquals(2, code, args + " -> " + err);
            assertTrue(err.toString().startsWith("arcsim serve: "), err.toString());
            assertEquals(1, err.toString().lines().count(), "one line: " + err);
        }
    }

    @Test
    void offLoopbackWithoutAnAdminTokenServeRefusesToStartAndSaysHow(@TempDir Path dir) throws Exception {
        Path empty = Files.writeString(dir.resolve("empty"), "\n");
        Path shortToken = Files.writeString(dir.resolve("short"), "abc\n");
        Path good = Files.writeString(dir.resolve("good"), "0123456789abcdef0123\n");
        record Refusal(List<String> args, String says) {
        }
        for (Refusal r : List.of(
                new Refusal(List.of("serve", "--port", "0", "--bind", "0.0.0.0"), "--admin-token-file"),
                new Refusal(List.of("serve", "--port", "0", "--bind", "10.1.2.3"), "not a loopback address"),
                new Refusal(List.of("serve", "--port", "0", "--admin-token-file", dir.resolve("none").toString()), "does not exist"),
                new Refusal(List.of("serve", "--port", "0", "--admin-token-file", empty.toString()), "empty"),
                new Refusal(List.of("serve", "--port", "0", "--admin-token-file", shortToken.toString()), "at least 16"),
                new Refusal(List.of("serve", "--port", "0", "--admin-token-file", good.toString(), "--admin-token",
                        "0123456789abcdef0123"), "not both"))) {
            StringWriter err = new StringWriter();
            StringWriter out = new StringWriter();
            CommandLine cli = ArcsimCommand.commandLine();
            cli.setErr(new PrintWriter(err));
            cli.setOut(new PrintWriter(out));
            int code = cli.execute(r.args().toArray(String[]::new));
            assertEquals(2, code, r.args() + " -> " + err);
            assertEquals(1, err.toString().lines().count(), "one line: " + err);
            assertTrue(err.toString().contains(r.says()), r.args() + " -> " + err);
            assertFalse(out.toString().contains("listening"), "nothing was served: " + out);
            assertFalse(err.toString().contains("0123456789abcdef0123"), "the token is never echoed: " + err);
        }
    }

    @Test
    void anAdminTokenFromAFileGuardsTheAdminApiButNotTheService(@TempDir Path dir) throws Exception {
        String token = "s3cret-admin-token-0123456789";
        Path file = Files.writeString(dir.resolve("token"), token + "\n");
        ServeCommand serve = new ServeCommand();
        new CommandLine(serve).parseArgs("--port", "0", "--admin-token-file", file.toString());
        StringWriter out = new StringWriter();
        try (FakeGitHubServer server = serve.start(new PrintWriter(out))) {
            assertFalse(out.toString().contains(token), "the banner never shows the token: " + out);
            assertTrue(out.toString().contains("needs the admin token"), out.toString());
            for (String attempt : new String[] {null, "Bearer wrong", "Bearer " + token + "x", "Bearer " + token.substring(1), token}) {
                var refused = HTTP.send(withAuthorization(server.baseUrl() + "/_arcsim/faults", attempt)
                        .POST(HttpRequest.BodyPublishers.ofString("{\"endpoint\":\"acquire-jobs\",\"status\":500}")).build(),
                        HttpResponse.BodyHandlers.ofString());
                assertEquals(401, refused.statusCode(), "Authorization " + attempt);
                assertFalse(refused.body().contains(token), refused.body());
            }
            assertEquals("[]", server.fake().faults().describe().toString(), "no refused call injected a fault");
            var allowed = HTTP.send(withAuthorization(server.baseUrl() + "/_arcsim/state", "Bearer " + token).GET().build(),
                    HttpResponse.BodyHandlers.ofString());
            assertEquals(200, allowed.statusCode());
            var service = send("POST", server.baseUrl() + "/api/v3/orgs/acme/actions/runners/registration-token", null);
            assertEquals(401, service.statusCode(), "the service keeps its own auth");
            assertFalse(service.body().contains("admin token"), "the service API does not ask for the admin token");
        }
    }

    @Test
    void loopbackIsWhatEveryResolutionOfTheAddressIsLoopback() {
        for (String loopback : List.of("127.0.0.1", "127.1.2.3", "::1", "localhost")) {
            assertTrue(AdminAccess.isLoopback(loopback), loopback);
        }
        for (String open : List.of("0.0.0.0", "::", "10.0.0.7", "192.168.1.1")) {
            assertFalse(AdminAccess.isLoopback(open), open);
        }
    }

    private static HttpRequest.Builder withAuthorization(String url, String authorization) {
        HttpRequest.Builder b = HttpRequest.newBuilder(URI.create(url)).timeout(Duration.ofSeconds(10));
        return authorization == null ? b : b.header("Authorization", authorization);
    }

    @Test
    void sigtermStopsTheProcessCleanly() throws Exception {
        String java = ProcessHandle.current().info().command().orElse("java");
        Process p = new ProcessBuilder(java, "-cp", System.getProperty("java.class.path"), ArcsimCommand.class.getName(),
                "serve", "--port", "0").redirectErrorStream(true).start();
        try {
            BufferedReader lines = new BufferedReader(new InputStreamReader(p.getInputStream(), StandardCharsets.UTF_8));
            CompletableFuture<String> firstLine = CompletableFuture.supplyAsync(() -> {
                try {
                    String line;
                    while ((line = lines.readLine()) != null) {
                        if (line.startsWith("fake-github listening on ")) {
                            return line;
                        }
                    }
                    return "";
                } catch (Exception e) {
                    return "";
                }
            });
            await().atMost(Duration.ofSeconds(60)).until(firstLine::isDone);
            String url = firstLine.join().substring("fake-github listening on ".length());
            assertEquals(200, send("GET", url + "/_arcsim/state", null).statusCode());

            // SIGTERM through kill(1): Process.destroy() would also close the streams we still read
            new ProcessBuilder("kill", "-TERM", Long.toString(p.pid())).start().waitFor(10, TimeUnit.SECONDS);
            assertTrue(p.waitFor(30, TimeUnit.SECONDS), "still running 30 s after SIGTERM");
            StringBuilder restOut = new StringBuilder();
            lines.lines().forEach(l -> restOut.append(l).append('\n'));
            String rest = restOut.toString();
            assertTrue(rest.contains("fake-github stopped"), rest);
            assertFalse(rest.contains("Exception"), rest);
        } finally {
            p.destroyForcibly();
        }
    }
}
