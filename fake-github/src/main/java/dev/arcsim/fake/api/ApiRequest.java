package dev.arcsim.fake.api;

import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;

/**
 * One request as the fake sees it, whichever world it came from: over HTTP through WireMock, or handed over
 * in-process by a simulated transport.
 *
 * @param path    the path with duplicate slashes collapsed (ARC's legacy acquirejobs URL has {@code //_apis})
 * @param headers header names in lower case
 */
public record ApiRequest(String method, String path, Map<String, List<String>> query, Map<String, String> headers,
                         byte[] body) {

    public ApiRequest {
        method = method.toUpperCase(Locale.ROOT);
        path = path.replaceAll("/{2,}", "/");
        Map<String, String> lower = new LinkedHashMap<>();
        headers.forEach((k, v) -> lower.put(k.toLowerCase(Locale.ROOT), v));
        headers = Map.copyOf(lower);
        query = Map.copyOf(query);
        body = body == null ? new byte[0] : body;
    }

    /**
     * Builds a request from a URL (absolute, or a path with its query) as sent on the wire. Any text is taken: a URL
     * that is not valid (a space, a bad percent escape) keeps its raw form, routes nowhere and is answered 404, so a
     * client's malformed URL never becomes the fake's exception.
     */
    public static ApiRequest of(String method, String url, Map<String, String> headers, byte[] body) {
        String rest = url;
        int scheme = rest.indexOf("://");
        if (scheme >= 0 && rest.substring(0, scheme).chars().allMatch(Character::isLetter)) {
            int slash = rest.indexOf('/', scheme + 3);
            int question = rest.indexOf('?', scheme + 3);
            int pathStart = slash < 0 ? question : question < 0 ? slash : Math.min(slash, question);
            rest = pathStart < 0 ? "" : rest.substring(pathStart);
        }
        int fragment = rest.indexOf('#');
        if (fragment >= 0) {
            rest = rest.substring(0, fragment);
        }
        int question = rest.indexOf('?');
        String rawPath = question < 0 ? rest : rest.substring(0, question);
        String rawQuery = question < 0 ? null : rest.substring(question + 1);
        return new ApiRequest(method, rawPath.isEmpty() ? "/" : decode(rawPath), parseQuery(rawQuery), headers, body);
    }

    public static Map<String, List<String>> parseQuery(String rawQuery) {
        Map<String, List<String>> query = new LinkedHashMap<>();
        if (rawQuery == null || rawQuery.isEmpty()) {
            return query;
        }
        for (String pair : rawQuery.split("&")) {
            if (pair.isEmpty()) {
                continue;
            }
            int eq = pair.indexOf('=');
            String key = decode(eq < 0 ? pair : pair.substring(0, eq));
            String value = eq < 0 ? "" : decode(pair.substring(eq + 1));
            query.computeIfAbsent(key, k -> new ArrayList<>()).add(value);
        }
        return query;
    }

    /** Percent-decodes; text with a bad escape stays as it came. */
    private static String decode(String s) {
        try {
            return URLDecoder.decode(s.replace("+", "%2B"), StandardCharsets.UTF_8);
        } catch (IllegalArgumentException e) {
            return s;
        }
    }

    public Optional<String> header(String name) {
        return Optional.ofNullable(headers.get(name.toLowerCase(Locale.ROOT)));
    }

    public Optional<String> queryParam(String name) {
        List<String> values = query.get(name);
        return values == null || values.isEmpty() ? Optional.empty() : Optional.of(values.get(0));
    }

    /** {@code http://host:port} as the client addressed this server, for the absolute URLs the service hands out. */
    public String baseUrl() {
        return "http://" + header("host").orElse("127.0.0.1");
    }
}
