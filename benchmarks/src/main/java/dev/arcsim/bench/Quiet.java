package dev.arcsim.bench;

/** The components log at INFO; a benchmark wants none of it. */
final class Quiet {

    private Quiet() {
    }

    static void logs() {
        if (org.slf4j.LoggerFactory.getLogger("dev.arcsim") instanceof ch.qos.logback.classic.Logger l) {
            l.setLevel(ch.qos.logback.classic.Level.WARN);
        }
    }
}
