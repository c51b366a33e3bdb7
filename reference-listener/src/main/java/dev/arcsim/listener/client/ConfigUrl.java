package dev.arcsim.listener.client;

import java.net.URI;
import java.util.Locale;

/**
 * The {@code configure_url}, parsed as ARC parses it (PROTOCOL.md §1.1): one path segment names an organization,
 * {@code enterprises/X} an enterprise, any other two segments a repository. Hosts that are not github.com (or
 * *.ghe.com) get the REST API under {@code /api/v3}.
 */
public record ConfigUrl(String url, String scheme, String host, String organization, String repository, String enterprise) {

    public static ConfigUrl parse(String raw) {
        String trimmed = raw.trim().replaceAll("/+$", "");
        URI uri;
        try {
            uri = URI.create(trimmed);
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException("configure_url is not a URL: " + raw);
        }
        if (uri.getScheme() == null || uri.getHost() == null) {
            throw new IllegalArgumentException("configure_url must be an absolute URL such as https://github.com/my-org, got " + raw);
        }
        String path = uri.getPath() == null ? "" : uri.getPath().replaceAll("^/+|/+$", "");
        String[] parts = path.isEmpty() ? new String[0] : path.split("/");
        String hostPort = uri.getPort() > 0 ? uri.getHost() + ":" + uri.getPort() : uri.getHost();
        if (parts.length == 1 && !parts[0].isEmpty()) {
            return new ConfigUrl(trimmed, uri.getScheme(), hostPort, parts[0], null, null);
        }
        if (parts.length == 2 && !parts[0].isEmpty() && !parts[1].isEmpty()) {
            return parts[0].equalsIgnoreCase("enterprises")
                    ? new ConfigUrl(trimmed, uri.getScheme(), hostPort, null, null, parts[1])
                    : new ConfigUrl(trimmed, uri.getScheme(), hostPort, parts[0], parts[1], null);
        }
        throw new IllegalArgumentException("invalid config URL, should point to an enterprise, org, or repository: " + raw);
    }

    public boolean hosted() {
        String h = host.toLowerCase(Locale.ROOT).replaceAll(":\\d+$", "");
        return h.equals("github.com") || h.equals("www.github.com") || h.equals("github.localhost") || h.endsWith(".ghe.com");
    }

    /** The REST API base, without a trailing slash. */
    public String apiBase(boolean forceGhes) {
        if (hosted() && !forceGhes) {
            String h = host.toLowerCase(Locale.ROOT).replaceAll(":\\d+$", "");
            return scheme + "://api." + (h.equals("www.github.com") ? "github.com" : host);
        }
        return scheme + "://" + host + "/api/v3";
    }

    public String registrationTokenPath() {
        if (enterprise != null) {
            return "/enterprises/" + enterprise + "/actions/runners/registration-token";
        }
        if (repository != null) {
            return "/repos/" + organization + "/" + repository + "/actions/runners/registration-token";
        }
        return "/orgs/" + organization + "/actions/runners/registration-token";
    }
}
