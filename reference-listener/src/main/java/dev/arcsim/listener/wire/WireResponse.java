package dev.arcsim.listener.wire;

import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;

/** One HTTP answer; header names are lower case. */
public record WireResponse(int status, Map<String, List<String>> headers, byte[] body) {

    public Optional<String> header(String name) {
        List<String> values = headers.get(name.toLowerCase(Locale.ROOT));
        return values == null || values.isEmpty() ? Optional.empty() : Optional.of(values.get(0));
    }

    /** The body as text, without a UTF-8 byte-order mark (Go clients strip it, PROTOCOL.md §3). */
    public String text() {
        int offset = body.length >= 3 && (body[0] & 0xff) == 0xEF && (body[1] & 0xff) == 0xBB && (body[2] & 0xff) == 0xBF ? 3 : 0;
        return new String(body, offset, body.length - offset, StandardCharsets.UTF_8);
    }
}
