package dev.arcsim.world.process;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class ListenerBinaryTest {

    @Test
    void aMissingBinaryIsOneLineThatSaysWhereToFindARealOne(@TempDir Path dir) {
        var e = assertThrows(ListenerBinary.Invalid.class, () -> ListenerBinary.check(dir.resolve("ghalistener")));
        assertTrue(e.getMessage().contains("no such file") && e.getMessage().contains("/ghalistener"), e.getMessage());
        assertFalse(e.getMessage().contains("\n"));
    }

    @Test
    void aFileThatIsNotExecutableOrNotAProgramIsRefused(@TempDir Path dir) throws Exception {
        Path text = Files.writeString(dir.resolve("ghalistener"), "not a program");
        assertTrue(assertThrows(ListenerBinary.Invalid.class, () -> ListenerBinary.check(text)).getMessage()
                .contains("not executable"));
        Files.setPosixFilePermissions(text, PosixFilePermissions.fromString("rwx------"));
        assertTrue(assertThrows(ListenerBinary.Invalid.class, () -> ListenerBinary.check(text)).getMessage()
                .contains("is not a program"));
        assertTrue(assertThrows(ListenerBinary.Invalid.class, () -> ListenerBinary.check(dir)).getMessage()
                .contains("is a directory"));
    }

    @Test
    void aProgramForAnotherMachineIsRefused(@TempDir Path dir) throws Exception {
        byte[] elf = new byte[64];
        elf[0] = 0x7f;
        elf[1] = 'E';
        elf[2] = 'L';
        elf[3] = 'F';
        elf[18] = 40;   // EM_ARM
        Path arm = Files.write(dir.resolve("ghalistener"), elf);
        Files.setPosixFilePermissions(arm, PosixFilePermissions.fromString("rwx------"));
        var e = assertThrows(ListenerBinary.Invalid.class, () -> ListenerBinary.check(arm));
        assertTrue(e.getMessage().contains("another machine"), e.getMessage());
    }

    @Test
    void arc08sListenerReadsCamelCaseKeysAndLaterOnesSnakeCase(@TempDir Path dir) throws Exception {
        Path old = Files.writeString(dir.resolve("githubrunnerscalesetlistener"), "#!/bin/sh\nexit 0\n");
        Path now = Files.writeString(dir.resolve("ghalistener"), "#!/bin/sh\nexit 0\n");
        for (Path p : new Path[] {old, now}) {
            Files.setPosixFilePermissions(p, PosixFilePermissions.fromString("rwx------"));
        }
        assertEquals(ListenerBinary.ConfigKeys.CAMEL_CASE, ListenerBinary.check(old).configKeys());
        assertEquals(ListenerBinary.ConfigKeys.SNAKE_CASE, ListenerBinary.check(now).configKeys());
        assertEquals(64, ListenerBinary.check(now).sha256().length());
    }

    @Test
    void theScrubberTakesOutTokensButKeepsUrlsAndIds() {
        Scrubber s = new Scrubber();
        s.register("ghp_world_token");
        String line = "token=ghp_world_token jwt=eyJhbGciOiJIUzI1NiJ9.eyJzdWIiOiJ4In0.c2lnbmF0dXJl "
                + "reg=A1B2C3D4E5F6G7H8I9J0K1L2M3N4P jit=QWxhZGRpbjpvcGVuIHNlc2FtZQ9xYWxhZGRpbjpvcGVu== "
                + "url=http://127.0.0.1:37657/acme/actions/runners/registration-token "
                + "session=636609c2-7ecb-4beb-82d8-e9f5388ef832";
        String out = s.scrub(line);
        assertFalse(out.contains("ghp_world_token") || out.contains("eyJ") || out.contains("A1B2C3D4E5")
                || out.contains("QWxhZGRpbjpvcGVu"), out);
        assertTrue(out.contains("/acme/actions/runners/registration-token"), out);
        assertTrue(out.contains("636609c2-7ecb-4beb-82d8-e9f5388ef832"), out);
    }
}
