package dev.arcsim.cli;

import picocli.CommandLine;
import picocli.CommandLine.Command;

/** The {@code arcsim} command line: one subcommand per thing a user does. */
@Command(name = "arcsim",
        mixinStandardHelpOptions = true,
        versionProvider = ArcsimCommand.Version.class,
        description = "Reference ARC listener/controller, a fault-injecting fake of the GitHub Actions scale-set service, "
                + "and a scenario harness.",
        footer = {"", "Benchmarks (their own jar, benchmarks/target/benchmarks.jar):",
                "  ./arcsim bench [--quick] [--report DIR] [--compare BENCH_JSON]"},
        subcommands = {DemoCommand.class, ServeCommand.class, ListenerCommand.class, ControllerCommand.class, KubeCommand.class, ScenarioCommand.class, SuiteCommand.class, ExploreCommand.class, CommandLine.HelpCommand.class})
public final class ArcsimCommand implements Runnable {

    @CommandLine.Spec
    CommandLine.Model.CommandSpec spec;

    @Override
    public void run() {
        spec.commandLine().usage(System.out);
    }

    public static void main(String[] args) {
        quietJavaUtilLogging();
        System.exit(commandLine().execute(args));
    }

    /** The embedded API server logs every request at INFO through java.util.logging; only its warnings matter. */
    static void quietJavaUtilLogging() {
        java.util.logging.Logger root = java.util.logging.Logger.getLogger("");
        root.setLevel(java.util.logging.Level.WARNING);
        for (java.util.logging.Handler h : root.getHandlers()) {
            h.setLevel(java.util.logging.Level.WARNING);
        }
    }

    /** The command line with arcsim's error handling: bad input exits 2 with one clear line. */
    public static CommandLine commandLine() {
        CommandLine cli = new CommandLine(new ArcsimCommand());
        cli.setExitCodeExceptionMapper(e -> e instanceof UserError ? 2 : 1);
        cli.setExecutionExceptionHandler((e, commandLine, parseResult) -> {
            if (e instanceof UserError) {
                commandLine.getErr().println(commandLine.getCommandSpec().qualifiedName() + ": " + e.getMessage());
                return 2;
            }
            throw e;
        });
        return cli;
    }

    /**
     * Serves until SIGTERM or Ctrl-C: the shutdown hook closes {@code server} and says so; the caller's thread
     * waits for it. Answers the exit code.
     */
    static int serveUntilStopped(AutoCloseable server, java.io.PrintWriter out, String what) throws InterruptedException {
        java.util.concurrent.CountDownLatch stopped = new java.util.concurrent.CountDownLatch(1);
        Runtime.getRuntime().addShutdownHook(new Thread(() -> {
            try {
                server.close();
            } catch (Exception e) {
                out.println(what + " did not stop cleanly: " + e.getMessage());
            }
            out.println(what + " stopped");
            out.flush();
            stopped.countDown();
        }, "arcsim-shutdown"));
        stopped.await();
        return 0;
    }

    /** A mistake in what the user gave us: reported in one line, exit status 2. */
    public static final class UserError extends RuntimeException {
        public UserError(String message) {
            super(message);
        }
    }

    static final class Version implements CommandLine.IVersionProvider {
        @Override
        public String[] getVersion() {
            String v = ArcsimCommand.class.getPackage().getImplementationVersion();
            return new String[] {"arcsim " + (v == null ? "dev" : v)};
        }
    }
}
