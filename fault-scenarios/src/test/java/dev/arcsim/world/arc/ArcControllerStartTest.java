package dev.arcsim.world.arc;

import dev.arcsim.scenario.Catalogue;
import dev.arcsim.scenario.Scenario;
import dev.arcsim.scenario.ScenarioRunner;
import dev.arcsim.world.ClusterKind;
import dev.arcsim.world.process.ListenerBinary;
import dev.arcsim.world.process.Peers;
import dev.arcsim.world.real.RealTierTests;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Duration;

import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

/** A controller that ends at start (a flag its build lacks) is one clear error naming it, not a run without one. */
class ArcControllerStartTest {

    @Test
    void aControllerThatExitsAtStartIsOneLineWithItsFirstWordsScrubbed(@TempDir Path dir) throws Exception {
        RealTierTests.require();
        Path crds = Peers.find(Peers.HEAD).map(p -> p.getParent().resolve("crds")).orElse(null);
        assumeTrue(crds != null, Peers.missing(Peers.HEAD));
        Path release = Files.createDirectories(dir.resolve("release"));
        Files.createDirectories(release.resolve("crds"));
        try (var files = Files.list(crds)) {
            for (Path crd : files.toList()) {
                Files.copy(crd, release.resolve("crds").resolve(crd.getFileName()));
            }
        }
        script(release.resolve("manager"), "echo 'flag provided but not defined: -metrics-addr (token ghp_world_token)'\nexit 2\n");
        script(release.resolve("ghalistener"), "exit 0\n");
        Files.writeString(release.resolve("VERSION"), "0.14.2\n");
        ArcRelease arc = ArcRelease.check(release);
        Scenario s = Catalogue.resolve("steady-state").scenario().withPolicy("arc-current").forWorld("wire");

        var e = assertThrows(ListenerBinary.Invalid.class, () -> new ScenarioRunner(line -> { }, Duration.ofSeconds(10), "wire",
                ClusterKind.REAL, arc).run(s, "steady-state", null, dir.resolve("report")));

        assertTrue(e.getMessage().startsWith("--arc " + arc.dir() + ": ARC's controller (" + arc.manager() + ") exited with "
                + "code 2 unasked; it said: flag provided but not defined: -metrics-addr"), e.getMessage());
        assertFalse(e.getMessage().contains("ghp_world_token"), "scrubbed: " + e.getMessage());
        assertFalse(e.getMessage().contains("\n"));
    }

    private static void script(Path p, String body) throws Exception {
        Files.writeString(p, "#!/bin/sh\n" + body);
        Files.setPosixFilePermissions(p, PosixFilePermissions.fromString("rwx------"));
    }
}
