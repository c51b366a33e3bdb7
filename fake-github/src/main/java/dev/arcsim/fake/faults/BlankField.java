package dev.arcsim.fake.faults;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.arcsim.fake.api.ApiResponse;
import dev.arcsim.fake.api.WireJson;
import dev.arcsim.fake.input.InvalidInputException;
import dev.arcsim.fake.input.JsonInput;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.function.Supplier;

/**
 * The request is served, but one top-level field of the JSON answer comes back blank: an empty string, null, or
 * absent. An empty {@code messageQueueUrl} on refresh is what #4370 saw ({@code unsupported protocol scheme ""});
 * a null {@code statistics} makes ARC's listeners fail or panic (PROTOCOL.md §1.4, §2.1).
 *
 * @param as {@code empty}, {@code null} or {@code absent}
 */
public record BlankField(String field, String as) implements Fault {

    public static final String KIND = "blank-field";
    private static final List<String> AS = List.of("empty", "null", "absent");

    static BlankField parse(JsonInput in) {
        String field = in.requiredString("field");
        String as = in.string("as").orElse("empty");
        if (!AS.contains(as)) {
            throw new InvalidInputException(in.field("as"), "must be one of " + String.join(", ", AS) + ", got \"" + as + "\"");
        }
        return new BlankField(field, as);
    }

    @Override
    public String kind() {
        return KIND;
    }

    @Override
    public boolean altersAnswer() {
        return true;
    }

    @Override
    public ApiResponse realise(Supplier<ApiResponse> service, FaultContext context) {
        ApiResponse served = service.get();
        JsonNode body;
        try {
            body = WireJson.read(served.body());
        } catch (IOException e) {
            return served;
        }
        if (!(body instanceof ObjectNode object) || !object.has(field)) {
            return served;
        }
        switch (as) {
            case "null" -> object.putNull(field);
            case "absent" -> object.remove(field);
            default -> object.put(field, "");
        }
        return new ApiResponse(served.status(), served.headers(),
                WireJson.write(object).getBytes(StandardCharsets.UTF_8), served.delivery());
    }

    @Override
    public void describeInto(ObjectNode node) {
        node.put("field", field).put("as", as);
    }
}
