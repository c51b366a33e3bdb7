package dev.arcsim.world.arc;

import dev.arcsim.world.process.ListenerBinary;
import dev.arcsim.world.process.Peers;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

/** {@code --arc DIR}: a wrong folder is one line that says what is missing and how to mend it. */
class ArcReleaseTest {

    private static final String[] KINDS = {"autoscalingrunnersets", "autoscalinglisteners", "ephemeralrunnersets", "ephemeralrunners"};

    private static Path release(Path dir, String listener) throws IOException {
        program(dir.resolve("manager"));
        program(dir.resolve(listener));
        Files.createDirectories(dir.resolve("crds"));
        for (String kind : KINDS) {
            Files.writeString(dir.resolve("crds").resolve("actions.github.com_" + kind + ".yaml"), "kind: CustomResourceDefinition\n");
        }
        return dir;
    }

    private static void program(Path p) throws IOException {
        Files.writeString(p, "#!/bin/sh\nexit 0\n");
        Files.setPosixFilePermissions(p, PosixFilePermissions.fromString("rwx------"));
    }

    private static String refused(Path dir) {
        return assertThrows(ListenerBinary.Invalid.class, () -> ArcRelease.check(dir)).getMessage();
    }

    @Test
    void aFolderOfAKnownCommitGetsItsVersionAndItsListenersKeys(@TempDir Path dir) throws IOException {
        release(dir, "githubrunnerscalesetlistener");
        Files.writeString(dir.resolve("COMMIT"), "1f9b7541e6545a9d5ffa052481a84aad7ba4aa4d\n");
        ArcRelease r = ArcRelease.check(dir);
        assertEquals("0.8.1", r.version());
        assertEquals(ListenerBinary.ConfigKeys.CAMEL_CASE, r.listener().configKeys());
        assertEquals(4, r.crds().size());
        assertEquals("ARC 0.8.1 (1f9b754)", r.label());
    }

    @Test
    void aVersionFileNamesTheVersionOfAnyOtherBuild(@TempDir Path dir) throws IOException {
        release(dir, "ghalistener");
        Files.writeString(dir.resolve("VERSION"), "0.15.0\n");
        assertEquals("0.15.0", ArcRelease.check(dir).version());
        Files.writeString(dir.resolve("VERSION"), "latest\n");
        assertTrue(refused(dir).contains("VERSION says 'latest'"), refused(dir));
    }

    @Test
    void whatIsMissingIsNamed(@TempDir Path dir) throws IOException {
        assertTrue(refused(dir.resolve("nowhere")).contains("no such folder"));
        Files.createDirectories(dir.resolve("empty"));
        assertTrue(refused(dir.resolve("empty")).contains("no executable 'manager'"), refused(dir.resolve("empty")));

        Path noListener = dir.resolve("no-listener");
        Files.createDirectories(noListener);
        program(noListener.resolve("manager"));
        assertTrue(refused(noListener).contains("no listener program (ghalistener"), refused(noListener));

        Path noCrd = release(Files.createDirectories(dir.resolve("no-crd")), "ghalistener");
        Files.delete(noCrd.resolve("crds").resolve("actions.github.com_ephemeralrunners.yaml"));
        assertTrue(refused(noCrd).contains("crds/ lacks actions.github.com_ephemeralrunners.yaml"), refused(noCrd));

        Path unknown = release(Files.createDirectories(dir.resolve("unknown")), "ghalistener");
        String message = refused(unknown);
        assertTrue(message.contains("cannot tell which ARC version") && message.contains("VERSION"), message);
        assertTrue(message.startsWith("--arc " + unknown + ": "), message);
    }

    @Test
    void thePeersAreReleasesOfTheVersionsTheirReadmeNames() {
        for (var peer : java.util.Map.of("0.8.1", "0.8.1", "0.13-c6e4c94", "0.13.1", "head-2ee6b3b", "0.14.2").entrySet()) {
            Path manager = Peers.find(peer.getKey() + "/manager").orElse(null);
            assumeTrue(manager != null, Peers.missing(peer.getKey() + "/manager"));
            assertEquals(peer.getValue(), ArcRelease.check(manager.getParent()).version());
        }
    }
}
