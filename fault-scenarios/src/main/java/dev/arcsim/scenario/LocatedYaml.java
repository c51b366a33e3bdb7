package dev.arcsim.scenario;

import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonToken;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;

import java.io.IOException;
import java.util.HashMap;
import java.util.Map;

/**
 * A YAML document read into a Jackson tree that remembers the line of every field and list item, so an error about
 * {@code timeline[2].until} can name the line it is on. Paths are written as {@link dev.arcsim.fake.input.JsonInput}
 * writes them: {@code a.b}, {@code list[3].c}.
 */
record LocatedYaml(JsonNode root, Map<String, Integer> lines) {

    private static final YAMLFactory YAML = new YAMLFactory();
    private static final JsonNodeFactory NODES = JsonNodeFactory.instance;

    /** A syntax error or a repeated key, with its line. */
    static final class SyntaxError extends Exception {
        final int line;

        SyntaxError(int line, String message) {
            super(message);
            this.line = line;
        }
    }

    static LocatedYaml parse(String text) throws SyntaxError {
        Map<String, Integer> lines = new HashMap<>();
        try (JsonParser parser = YAML.createParser(text)) {
            if (parser.nextToken() == null) {
                return new LocatedYaml(NODES.missingNode(), lines);
            }
            lines.put("", parser.currentTokenLocation().getLineNr());
            return new LocatedYaml(read(parser, "", lines), lines);
        } catch (com.fasterxml.jackson.core.JsonProcessingException e) {
            throw new SyntaxError(e.getLocation() == null ? 0 : e.getLocation().getLineNr(),
                    "not valid YAML: " + e.getOriginalMessage());
        } catch (IOException e) {
            throw new SyntaxError(0, "cannot read: " + e.getMessage());
        }
    }

    private static JsonNode read(JsonParser p, String path, Map<String, Integer> lines) throws IOException, SyntaxError {
        JsonToken token = p.currentToken();
        switch (token) {
            case START_OBJECT -> {
                ObjectNode object = NODES.objectNode();
                while (p.nextToken() == JsonToken.FIELD_NAME) {
                    String name = p.currentName();
                    String child = path.isEmpty() ? name : path + "." + name;
                    int line = p.currentTokenLocation().getLineNr();
                    if (object.has(name)) {
                        throw new SyntaxError(line, child + ": appears twice (first on line " + lines.get(child) + ")");
                    }
                    lines.put(child, line);
                    p.nextToken();
                    object.set(name, read(p, child, lines));
                }
                return object;
            }
            case START_ARRAY -> {
                ArrayNode array = NODES.arrayNode();
                int i = 0;
                while (p.nextToken() != JsonToken.END_ARRAY) {
                    String child = path + "[" + i++ + "]";
                    lines.put(child, p.currentTokenLocation().getLineNr());
                    array.add(read(p, child, lines));
                }
                return array;
            }
            case VALUE_STRING -> {
                return NODES.textNode(p.getText());
            }
            case VALUE_NUMBER_INT -> {
                // as Jackson's own tree reader does: an int when it fits, so trees compare equal to mapper-built ones
                return switch (p.getNumberType()) {
                    case INT -> NODES.numberNode(p.getIntValue());
                    case LONG -> NODES.numberNode(p.getLongValue());
                    default -> NODES.numberNode(p.getBigIntegerValue());
                };
            }
            case VALUE_NUMBER_FLOAT -> {
                return NODES.numberNode(p.getDoubleValue());
            }
            case VALUE_TRUE, VALUE_FALSE -> {
                return NODES.booleanNode(token == JsonToken.VALUE_TRUE);
            }
            case VALUE_NULL -> {
                return NODES.nullNode();
            }
            default -> throw new SyntaxError(p.currentTokenLocation().getLineNr(), "unexpected " + token);
        }
    }

    /** The line of {@code path}, or of the nearest enclosing field that has one (a missing field: its parent). */
    int lineOf(String path) {
        String p = path;
        while (true) {
            Integer line = lines.get(p);
            if (line != null) {
                return line;
            }
            if (p.isEmpty()) {
                return 0;
            }
            int cut = Math.max(p.lastIndexOf('.'), p.lastIndexOf('['));
            p = cut < 0 ? "" : p.substring(0, cut);
        }
    }
}
