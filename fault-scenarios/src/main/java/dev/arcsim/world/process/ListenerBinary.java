package dev.arcsim.world.process;

import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import java.util.Locale;

/**
 * A listener program its user names (ARC's {@code /ghalistener}, or any build of it): checked before a run starts, so
 * that a wrong path is one clear line and not a crash-looping pod, and named with its sha256 in every report.
 *
 * @param configKeys how it reads {@code config.json}: ARC 0.8's camelCase keys, or the snake_case of later lines
 */
public record ListenerBinary(Path path, String sha256, ConfigKeys configKeys) {

    /** The spelling of config.json's keys a listener reads. */
    public enum ConfigKeys {
        /** ARC 0.8.x ({@code githubrunnerscalesetlistener}): configureUrl, token, ephemeralRunnerSetNamespace, ... */
        CAMEL_CASE,
        /** ARC 0.9 and later ({@code ghalistener}): configure_url, github_token, ... */
        SNAKE_CASE
    }

    /** A listener binary that cannot run here; the message says what is wrong and what to do. */
    public static final class Invalid extends RuntimeException {
        public Invalid(String message) {
            super(message);
        }
    }

    private static final int EM_X86_64 = 62;
    private static final int EM_AARCH64 = 183;

    /**
     * Checks that {@code path} is an executable program for this machine. The keys it reads follow its name: ARC
     * 0.8's listener was {@code githubrunnerscalesetlistener}, later ones are {@code ghalistener}.
     */
    public static ListenerBinary check(Path path) {
        return check(path, "--listener-binary " + path);
    }

    /** As {@link #check(Path)}, a problem told as {@code shown}: what is wrong. */
    public static ListenerBinary check(Path path, String shown) {
        requireProgram(path, shown);
        String name = path.getFileName().toString();
        ConfigKeys keys = name.startsWith("githubrunnerscalesetlistener") ? ConfigKeys.CAMEL_CASE : ConfigKeys.SNAKE_CASE;
        return new ListenerBinary(path.toAbsolutePath().normalize(), sha256(path), keys);
    }

    /**
     * That {@code path} is a program this machine can run (an executable ELF of its architecture, or a #! script),
     * without reading all of it; a problem is told as {@code shown}: what is wrong.
     */
    public static void requireProgram(Path path, String shown) {
        if (!Files.exists(path)) {
            throw new Invalid(shown + ": no such file; give the path of ARC's listener (the /ghalistener of ARC's "
                    + "controller image, or a build of it)");
        }
        if (Files.isDirectory(path)) {
            throw new Invalid(shown + ": is a directory; give the listener program inside it (ghalistener)");
        }
        if (!Files.isExecutable(path)) {
            throw new Invalid(shown + ": is not executable; chmod +x it");
        }
        byte[] head = new byte[20];
        int read;
        try (InputStream in = Files.newInputStream(path)) {
            read = in.readNBytes(head, 0, head.length);
        } catch (IOException e) {
            throw new Invalid(shown + ": cannot be read: " + e.getMessage());
        }
        boolean script = read >= 2 && head[0] == '#' && head[1] == '!';
        if (!script) {
            if (read < 20 || head[0] != 0x7f || head[1] != 'E' || head[2] != 'L' || head[3] != 'F') {
                throw new Invalid(shown + ": is not a program (neither an ELF executable nor a #! script)");
            }
            int machine = (head[18] & 0xff) | (head[19] & 0xff) << 8;   // e_machine, little-endian on both arches
            int wanted = machineOfThisHost();
            if (wanted != 0 && machine != wanted) {
                throw new Invalid(shown + ": is built for another machine (ELF e_machine " + machine + ", this one is "
                        + System.getProperty("os.arch") + "); use the linux/" + goArch() + " build");
            }
        }
    }

    private static int machineOfThisHost() {
        String arch = System.getProperty("os.arch").toLowerCase(Locale.ROOT);
        return switch (arch) {
            case "amd64", "x86_64" -> EM_X86_64;
            case "aarch64", "arm64" -> EM_AARCH64;
            default -> 0;   // not one we know: let the kernel decide
        };
    }

    private static String goArch() {
        return machineOfThisHost() == EM_AARCH64 ? "arm64" : "amd64";
    }

    static String sha256(Path path) {
        try (InputStream in = Files.newInputStream(path)) {
            MessageDigest d = MessageDigest.getInstance("SHA-256");
            byte[] buffer = new byte[1 << 16];
            int n;
            while ((n = in.read(buffer)) > 0) {
                d.update(buffer, 0, n);
            }
            return HexFormat.of().formatHex(d.digest());
        } catch (IOException e) {
            throw new Invalid("--listener-binary " + path + ": cannot be read: " + e.getMessage());
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }
}
