package dev.arcsim.world.process;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.Comparator;
import java.util.List;
import java.util.stream.Stream;

/** The temporary folders a run makes for its processes, removed with everything in them. */
public final class Folders {

    private Folders() {
    }

    /** Deletes {@code dir} and what it holds; nothing when it does not exist. */
    public static void delete(Path dir) throws IOException {
        if (!Files.exists(dir)) {
            return;
        }
        List<Path> all;
        try (Stream<Path> walk = Files.walk(dir)) {
            all = walk.sorted(Comparator.reverseOrder()).toList();
        }
        for (Path p : all) {
            Files.deleteIfExists(p);
        }
    }

    /** A new temp folder only its owner can enter (pod files hold tokens). */
    public static Path privateTemp(String prefix) throws IOException {
        return Files.createTempDirectory(prefix, PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rwx------")));
    }

    /** Writes {@code text} to a file only its owner can read. */
    public static void writePrivate(Path file, String text) throws IOException {
        Files.writeString(file, text, java.nio.charset.StandardCharsets.UTF_8);
        Files.setPosixFilePermissions(file, PosixFilePermissions.fromString("rw-------"));
    }

    /** {@link #delete}, for cleanups that have no one to tell: what is left goes with the system's temp folder. */
    public static void deleteQuietly(Path dir) {
        try {
            delete(dir);
        } catch (IOException ignored) {
            // nothing to do but leave it
        }
    }
}
