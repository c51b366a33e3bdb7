package dev.arcsim.docs;

import dev.arcsim.cli.ArcsimCommand;
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

/**
 * The docs as a reader meets them: the README is a front page that links every page under docs/, every relative
 * link in the docs leads to a file that exists, and every {@code ./arcsim} command they show names a subcommand and
 * options arcsim has ({@code bench} is checked in the benchmarks module, which holds it).
 */
class DocsTest {

    private static final Path ROOT = Path.of("..").toAbsolutePath().normalize();
    private static final Pattern LINK = Pattern.compile("\\]\\(([^)\\s]+)\\)");
    private static final Pattern COMMAND = Pattern.compile("\\./arcsim((?: +[^`\\n#]*)?)");

    private static List<Path> pages() throws IOException {
        List<Path> pages = new ArrayList<>(List.of(ROOT.resolve("README.md"), ROOT.resolve("deploy/README.md"),
                ROOT.resolve("reports/README.md"), ROOT.resolve("fake-github/README.md"),
                ROOT.resolve("reference-listener/README.md"), ROOT.resolve("benchmarks/README.md")));
        try (Stream<Path> docs = Files.list(ROOT.resolve("docs"))) {
            docs.filter(p -> p.toString().endsWith(".md")).sorted().forEach(pages::add);
        }
        return pages;
    }

    @Test
    void theReadmeIsAFrontPageThatLinksEveryPage() throws IOException {
        String readme = Files.readString(ROOT.resolve("README.md"));
        assertTrue(readme.length() < 10 * 1024, "README.md is " + readme.length() + " bytes; a front page stays under 10 KB");
        try (Stream<Path> docs = Files.list(ROOT.resolve("docs"))) {
            for (Path page : docs.filter(p -> p.toString().endsWith(".md")).toList()) {
                assertTrue(readme.contains("](docs/" + page.getFileName() + ")"), "README.md does not link docs/" + page.getFileName());
            }
        }
    }

    @Test
    void everyRelativeLinkLeadsToAFileThatExists() throws IOException {
        List<String> broken = new ArrayList<>();
        for (Path page : pages()) {
            Matcher m = LINK.matcher(Files.readString(page));
            while (m.find()) {
                String target = m.group(1).replaceFirst("#.*$", "");
                if (target.isEmpty() || target.matches("^[a-z]+:.*")) {
                    continue;
                }
                Path resolved = page.getParent().resolve(target).normalize();
                if (resolved.startsWith(ROOT) && !Files.exists(resolved)) {   // ../shared lies outside a clone
                    broken.add(ROOT.relativize(page) + " -> " + m.group(1));
                }
            }
        }
        assertEquals(List.of(), broken);
    }

    @Test
    void everyArcsimCommandTheDocsShowHasItsSubcommandAndOptions() throws IOException {
        List<String> wrong = new ArrayList<>();
        int checked = 0;
        for (Path page : pages()) {
            Matcher m = COMMAND.matcher(Files.readString(page));
            while (m.find()) {
                List<String> words = new ArrayList<>(List.of(m.group(1).trim().split("[\\s\\[\\]|,]+")));
                words.removeIf(String::isEmpty);
                // --java-home is the launcher's own (the arcsim script); bench runs from the benchmarks' jar
                if (!words.isEmpty() && (words.get(0).startsWith("--java-home") || words.get(0).equals("bench"))) {
                    continue;
                }
                CommandLine command = ArcsimCommand.commandLine();
                while (!words.isEmpty() && command.getSubcommands().containsKey(words.get(0))) {
                    command = command.getSubcommands().get(words.remove(0));
                }
                if (words.isEmpty() && command.getSubcommands().isEmpty()) {
                    continue;
                }
                if (words.isEmpty() || (!command.getSubcommands().isEmpty() && !words.get(0).startsWith("-")
                        && command.getCommandSpec().positionalParameters().isEmpty())) {
                    if (!words.isEmpty() && !words.get(0).startsWith("<")) {
                        wrong.add(ROOT.relativize(page) + ": ./arcsim" + m.group(1) + " (no subcommand " + words.get(0) + ")");
                    }
                    continue;
                }
                for (String word : words) {
                    if (word.startsWith("--") && word.length() > 2) {
                        String option = word.replaceFirst("=.*$", "").replaceAll("[^-a-z0-9]+$", "");
                        checked++;
                        if (command.getCommandSpec().findOption(option) == null) {
                            wrong.add(ROOT.relativize(page) + ": " + command.getCommandSpec().qualifiedName() + " has no " + option);
                        }
                    }
                }
            }
        }
        assertEquals(List.of(), wrong);
        assertTrue(checked > 50, "the docs show options: " + checked + " checked");
    }
}
