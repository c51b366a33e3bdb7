package dev.arcsim.bench;

import org.junit.jupiter.api.Test;
import picocli.CommandLine;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** Every {@code ./arcsim bench} command the docs show takes the options they give it (the rest: DocsTest). */
class BenchDocsTest {

    private static final Path ROOT = Path.of("..").toAbsolutePath().normalize();
    private static final Pattern BENCH = Pattern.compile("\\./arcsim bench((?: +[^`\\n#]*)?)");

    @Test
    void everyBenchCommandInTheDocsHasItsOptions() throws IOException {
        List<Path> pages = new ArrayList<>(List.of(ROOT.resolve("README.md"), ROOT.resolve("benchmarks/README.md"),
                ROOT.resolve("reports/README.md")));
        try (Stream<Path> docs = Files.list(ROOT.resolve("docs"))) {
            docs.filter(p -> p.toString().endsWith(".md")).forEach(pages::add);
        }
        CommandLine.Model.CommandSpec spec = new CommandLine(new BenchCommand()).getCommandSpec();
        List<String> wrong = new ArrayList<>();
        int checked = 0;
        for (Path page : pages) {
            Matcher m = BENCH.matcher(Files.readString(page));
            while (m.find()) {
                for (String word : m.group(1).trim().split("[\\s\\[\\]|,]+")) {
                    if (word.startsWith("--") && word.length() > 2) {
                        checked++;
                        String option = word.replaceFirst("=.*$", "").replaceAll("[^-a-z0-9]+$", "");
                        if (spec.findOption(option) == null) {
                            wrong.add(ROOT.relativize(page) + ": arcsim bench has no " + option);
                        }
                    }
                }
            }
        }
        assertEquals(List.of(), wrong);
        assertTrue(checked >= 5, "the docs show bench's options: " + checked);
    }
}
