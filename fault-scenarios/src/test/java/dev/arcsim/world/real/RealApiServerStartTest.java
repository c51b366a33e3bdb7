package dev.arcsim.world.real;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;

import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** A control plane that cannot start says which part ended and what it said, and leaves nothing behind. */
class RealApiServerStartTest {

    @Test
    void aServerThatEndsAtStartIsNamedWithTheLastThingItSaid(@TempDir Path bin) throws Exception {
        write(bin.resolve("etcd"), "#!/bin/sh\nexec sleep 30\n");
        write(bin.resolve("kube-apiserver"), "#!/bin/sh\necho 'E1202 unable to load client CA file' >&2\nexit 1\n");
        IllegalStateException e = assertThrows(IllegalStateException.class,
                () -> RealApiServer.start(new RealTier(bin), new RealApiServer.Options(false)));
        assertTrue(e.getMessage().startsWith("kube-apiserver ended at start (exit 1): E1202 unable to load client CA file"),
                e.getMessage());
        assertTrue(ProcessHandle.current().descendants().noneMatch(h -> h.info().command().orElse("").contains("sleep")),
                "the etcd it started was stopped with it");
    }

    private static void write(Path file, String script) throws Exception {
        Files.writeString(file, script);
        Files.setPosixFilePermissions(file, PosixFilePermissions.fromString("rwx------"));
    }
}
