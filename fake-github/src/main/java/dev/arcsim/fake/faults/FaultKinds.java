package dev.arcsim.fake.faults;

import dev.arcsim.fake.input.JsonInput;

import java.util.LinkedHashMap;
import java.util.Map;
import java.util.function.Function;

/** The registry of fault kinds by name: how each is read from JSON or YAML. */
public final class FaultKinds {

    private static final Map<String, Function<JsonInput, Fault>> PARSERS = new LinkedHashMap<>();

    static {
        PARSERS.put(StatusFault.KIND, StatusFault::parse);
        PARSERS.put(Latency.KIND, Latency::parse);
        PARSERS.put(Dribble.KIND, Dribble::parse);
        ConnectionFault.KINDS.forEach((name, how) -> PARSERS.put(name, in -> new ConnectionFault(how)));
        PARSERS.put(Empty200.KIND, in -> new Empty200());
        PARSERS.put(Hang.KIND, Hang::parse);
        PARSERS.put(LostAck.KIND, in -> new LostAck());
        PARSERS.put(BlankField.KIND, BlankField::parse);
    }

    private FaultKinds() {
    }

    public static String allowed() {
        return String.join(", ", PARSERS.keySet());
    }

    static Function<JsonInput, Fault> parser(String kind) {
        return PARSERS.get(kind);
    }
}
