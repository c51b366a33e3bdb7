package dev.arcsim.world.real;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** What kube install tells a user before any build: installed already, or what is missing and how to get it. */
class RealTierInstallerTest {

    private final StringWriter said = new StringWriter();

    @Test
    void anInstalledTierIsANoOpThatNeedsNoGo(@TempDir Path dir) throws Exception {
        Path bin = Files.createDirectories(dir.resolve("bin"));
        for (String b : RealTier.BINARIES) {
            Files.writeString(bin.resolve(b), "#!/bin/sh\n");
            Files.setPosixFilePermissions(bin.resolve(b), PosixFilePermissions.fromString("rwx------"));
        }
        RealTier tier = new RealTierInstaller(new PrintWriter(said), dir, "/nonexistent/go").install(false);
        assertEquals(bin, tier.bin());
        assertTrue(said.toString().contains("already installed in " + bin), said.toString());
    }

    @Test
    void aMissingGoIsOneClearMessageAndNothingLooksInstalled(@TempDir Path dir) {
        RealTierInstaller.Failed e = assertThrows(RealTierInstaller.Failed.class,
                () -> new RealTierInstaller(new PrintWriter(said), dir, "/nonexistent/go").install(false));
        assertTrue(e.getMessage().startsWith("Go is needed to build the real tier"), e.getMessage());
        assertTrue(e.getMessage().contains("install Go 1.26 or newer"), e.getMessage());
        assertFalse(Files.exists(dir.resolve("bin")), "no bin folder, so nothing looks installed");
    }

    @Test
    void anOldGoIsNamedWithTheVersionItNeeds(@TempDir Path dir) throws Exception {
        Path fakeGo = dir.resolve("go");
        Files.writeString(fakeGo, "#!/bin/sh\necho go1.22.5\n");
        Files.setPosixFilePermissions(fakeGo, PosixFilePermissions.fromString("rwx------"));
        RealTierInstaller.Failed e = assertThrows(RealTierInstaller.Failed.class,
                () -> new RealTierInstaller(new PrintWriter(said), dir.resolve("kube"), fakeGo.toString()).install(false));
        assertEquals("Go go1.22.5 is too old to build Kubernetes " + RealTier.KUBERNETES + ": it needs 1.26 or newer", e.getMessage());
    }
}
