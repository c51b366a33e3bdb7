package dev.arcsim.cli;

import dev.arcsim.fake.FakeGitHub;
import dev.arcsim.fake.admin.FakeConfig;
import dev.arcsim.fake.http.FakeGitHubServer;
import dev.arcsim.fake.input.InvalidInputException;
import dev.arcsim.fake.time.SystemScheduler;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

import java.io.PrintWriter;
import java.nio.file.Path;
import java.util.concurrent.Callable;

/** {@code arcsim serve}: the fake GitHub + Actions service on 127.0.0.1 until stopped. */
@Command(name = "serve", mixinStandardHelpOptions = true,
        description = {"Serve the fake GitHub + Actions scale-set service on 127.0.0.1 until stopped (Ctrl-C or SIGTERM).",
                "Point ARC's (or arcsim's) listener at http://127.0.0.1:PORT/<org> as its configure_url.",
                "Control it at runtime through the admin API under /_arcsim/ (docs/fake-github.md).",
                "Bound to anything but loopback it needs an admin token (--admin-token-file), or it does not start."})
public final class ServeCommand implements Callable<Integer> {

    @Option(names = "--port", description = "TCP port on 127.0.0.1 (0 picks a free one). Default: ${DEFAULT-VALUE}.",
            defaultValue = "8765")
    int port;

    @Option(names = "--bind", paramLabel = "ADDRESS",
            description = "Address to listen on. Default: ${DEFAULT-VALUE}; use 0.0.0.0 only inside a pod behind a Service, "
                    + "with --admin-token-file.",
            defaultValue = "127.0.0.1")
    String bind;

    @Option(names = "--config", paramLabel = "FILE", description = "Rules, faults and runner groups to start with (YAML or JSON).")
    Path config;

    @Option(names = "--token", paramLabel = "PAT", description = "Accept only this PAT (default: any PAT is accepted).")
    String token;

    @Option(names = "--admin-token", paramLabel = "TOKEN",
            description = "Require 'Authorization: Bearer TOKEN' on the admin API. Other users of the machine can read a "
                    + "command line: prefer --admin-token-file. Default: none, which only loopback allows.")
    String adminToken;

    @Option(names = "--admin-token-file", paramLabel = "FILE",
            description = "Read the admin token from FILE's first line (in a pod: a key of a mounted Secret).")
    Path adminTokenFile;

    @Option(names = "--seed", description = "Seed for every random choice (faults, ids, tokens). Default: ${DEFAULT-VALUE}.",
            defaultValue = "1")
    long seed;

    @Option(names = "--threads", description = "Server threads; each parked long poll holds one. Default: ${DEFAULT-VALUE}.",
            defaultValue = "200")
    int threads;

    @picocli.CommandLine.Spec
    picocli.CommandLine.Model.CommandSpec spec;

    @Override
    public Integer call() throws InterruptedException {
        FakeGitHubServer server = start(spec.commandLine().getOut());
        return ArcsimCommand.serveUntilStopped(server, spec.commandLine().getOut(), "fake-github");
    }

    /** Starts the fake and prints where it listens; the caller owns stopping it. */
    FakeGitHubServer start(PrintWriter out) {
        if (port < 0 || port > 65535) {
            throw new ArcsimCommand.UserError("--port must be between 0 and 65535, got " + port);
        }
        String admin = AdminAccess.token(bind, adminToken, adminTokenFile);
        FakeGitHub fake = new FakeGitHub(new SystemScheduler(), FakeGitHub.Options.defaults()
                .withSeed(seed).withPinnedToken(token).withAdminToken(admin));
        try {
            fake.apply(config == null ? FakeConfig.empty() : FakeConfig.read(config));
        } catch (InvalidInputException e) {
            throw new ArcsimCommand.UserError("bad --config: " + e.getMessage());
        }
        FakeGitHubServer server = new FakeGitHubServer(fake, bind, port, threads);
        try {
            server.start();
        } catch (RuntimeException e) {
            throw new ArcsimCommand.UserError("cannot listen on " + bind + ":" + port + " (" + rootCause(e)
                    + "); choose another --port, or 0 for any free one");
        }
        out.println("fake-github listening on " + server.baseUrl());
        out.println("  config URL for a listener: " + server.baseUrl() + "/<org>  (or /<owner>/<repo>, /enterprises/<name>)");
        out.println("  admin API: " + server.baseUrl() + "/_arcsim/state" + (admin == null ? "" : "  (needs the admin token)"));
        out.flush();
        return server;
    }

    private static String rootCause(Throwable e) {
        Throwable t = e;
        while (t.getCause() != null) {
            t = t.getCause();
        }
        return t.getMessage() == null ? t.getClass().getSimpleName() : t.getMessage();
    }
}
