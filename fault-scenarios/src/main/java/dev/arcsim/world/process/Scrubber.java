package dev.arcsim.world.process;

import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.regex.Pattern;

/**
 * Takes secrets out of a process's output before it is written anywhere: every secret the run handed out that it was
 * told of (PATs, service-account tokens), and whatever has the shape of a token (JWTs, GitHub tokens, long random
 * strings), which covers those the fake issues on the wire: admin and message-queue tokens, registration tokens, JIT
 * configs.
 */
public final class Scrubber {

    static final String MASK = "***";

    private static final Pattern SHAPES = Pattern.compile(String.join("|",
            "eyJ[A-Za-z0-9_-]{4,}\\.[A-Za-z0-9_-]+\\.[A-Za-z0-9_-]*",       // a JWT
            "gh[pousr]_[A-Za-z0-9]{16,}",                                    // a GitHub token
            // random letters and digits (registration and runner tokens)
            "(?<![A-Za-z0-9+/_])(?=[A-Za-z0-9_]*[0-9])(?=[A-Za-z0-9_]*[A-Za-z])[A-Za-z0-9_]{24,}",
            // base64 (JIT configs): both cases and digits, so URL paths and words stay
            "(?=[A-Za-z0-9+/]*[A-Z])(?=[A-Za-z0-9+/]*[a-z])(?=[A-Za-z0-9+/]*[0-9])[A-Za-z0-9+/]{32,}={0,2}"));

    private final Set<String> known = ConcurrentHashMap.newKeySet();

    /** A secret to take out wherever it appears; blank and very short values are ignored (they would mask words). */
    public void register(String secret) {
        if (secret != null && secret.strip().length() >= 6) {
            known.add(secret.strip());
        }
    }

    public String scrub(String text) {
        String out = text;
        for (String secret : known) {
            out = out.replace(secret, MASK);
        }
        return SHAPES.matcher(out).replaceAll(MASK);
    }
}
