package dev.arcsim.controller;

import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.Stream;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The CRDs shipped in reference-listener/crds/ for kubectl are the ones the build generates from the CRD classes. */
class CrdFilesTest {

    @Test
    void theShippedCrdsMatchTheGeneratedOnes() throws IOException {
        Path generated = Path.of("target/classes/META-INF/fabric8");
        List<Path> files;
        try (Stream<Path> s = Files.list(generated)) {
            files = s.filter(p -> p.toString().endsWith("-v1.yml")).sorted().toList();
        }
        assertEquals(4, files.size(), "one CRD per kind: " + files);
        for (Path g : files) {
            String plural = g.getFileName().toString().replace("-v1.yml", "");
            Path shipped = Path.of("crds", plural + ".yaml");
            assertTrue(Files.exists(shipped), shipped + " is missing; copy " + g + " there");
            assertEquals(Files.readString(g), Files.readString(shipped),
                    shipped + " is out of date; copy " + g + " over it (the CRD classes changed)");
            assertTrue(Files.readString(g).contains("status: {}"), plural + " has a status subresource");
        }
    }
}
