package dev.arcsim.fake.admin;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import dev.arcsim.fake.faults.FaultRule;
import dev.arcsim.fake.input.InvalidInputException;
import dev.arcsim.fake.input.JsonInput;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Supplier;

/**
 * What {@code arcsim serve --config FILE} reads (YAML or JSON):
 * <pre>
 * rules:                 # partial; see RulesCodec for the names
 *   sessionConflict: strict
 *   longPollSeconds: 50
 * faults:                # each a fault rule, as POST /_arcsim/faults takes it
 *   - kind: status
 *     status: 503
 *     endpoint: get-message
 *     probability: 0.1
 * runnerGroups: [ci, release]   # besides Default (id 1)
 * </pre>
 */
public record FakeConfig(JsonNode rules, JsonNode faults, List<String> runnerGroups) {

    private static final ObjectMapper YAML = new ObjectMapper(new YAMLFactory());

    public static FakeConfig empty() {
        return new FakeConfig(null, null, List.of());
    }

    /** Reads and checks a config file; errors name the file and the field. */
    public static FakeConfig read(Path file) {
        JsonNode root;
        try {
            root = YAML.readTree(Files.readString(file));
        } catch (NoSuchFileException e) {
            throw new InvalidInputException("", "config file " + file + " does not exist");
        } catch (JsonProcessingException e) {
            throw new InvalidInputException("", file + " is not valid YAML or JSON: " + e.getOriginalMessage()
                    + (e.getLocation() == null ? "" : " (line " + e.getLocation().getLineNr() + ", column "
                    + e.getLocation().getColumnNr() + ")"));
        } catch (IOException e) {
            throw new InvalidInputException("", "cannot read " + file + ": " + e.getMessage());
        }
        try {
            return parse(root);
        } catch (InvalidInputException e) {
            throw new InvalidInputException(e.field(), "in " + file + ": " + e.getMessage());
        }
    }

    public static FakeConfig parse(JsonNode root) {
        if (root == null || root.isNull() || root.isMissingNode()) {
            return empty();
        }
        JsonInput in = JsonInput.object(root, "");
        JsonNode rules = in.raw("rules").orElse(null);
        JsonNode faults = in.raw("faults").orElse(null);
        if (faults != null && !faults.isArray()) {
            throw new InvalidInputException("faults", "must be a list of faults");
        }
        List<String> groups = new ArrayList<>();
        in.raw("runnerGroups").ifPresent(g -> {
            if (!g.isArray()) {
                throw new InvalidInputException("runnerGroups", "must be a list of names");
            }
            for (int i = 0; i < g.size(); i++) {
                if (!g.get(i).isTextual() || g.get(i).asText().isBlank()) {
                    throw new InvalidInputException("runnerGroups[" + i + "]", "must be a non-empty name");
                }
                groups.add(g.get(i).asText());
            }
        });
        in.rejectUnknown();
        FakeConfig config = new FakeConfig(rules, faults, List.copyOf(groups));
        config.parseFaults(() -> "check");
        return config;
    }

    public List<FaultRule> parseFaults(Supplier<String> ids) {
        List<FaultRule> parsed = new ArrayList<>();
        if (faults != null) {
            for (int i = 0; i < faults.size(); i++) {
                JsonNode f = faults.get(i);
                String id = f.hasNonNull("id") ? f.get("id").asText() : ids.get();
                parsed.add(FaultRule.parse(f, "faults[" + i + "]", id));
            }
        }
        return parsed;
    }
}
