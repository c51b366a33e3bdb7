package dev.arcsim.listener.client;

import com.fasterxml.jackson.databind.JsonNode;

import java.util.ArrayList;
import java.util.List;
import java.util.regex.Pattern;

/**
 * The part of a service's answer that goes into an error, and so into logs: the server's own message where it sent
 * one, otherwise a description that names the answer's fields but not their values. Whatever text is kept has
 * credential-shaped strings blanked, since an answer that was a success body under an unexpected status (a token
 * under 200 where 201 was due) must not put the token in a log line.
 */
final class ServerText {

    static final int MAX_LENGTH = 200;
    private static final String REDACTED = "[redacted]";
    /** A JSON string field whose name says it holds a token, a key or a secret. */
    private static final Pattern SECRET_FIELD = Pattern.compile(
            "(\"[A-Za-z_]*(?:token|Token|TOKEN|secret|Secret|key|Key|password|Password|jit|JIT|Jit)[A-Za-z_]*\"\\s*:\\s*\")[^\"]*(\"?)");
    /** A JWT (admin and message-queue tokens), a GitHub token (ghp_, ghs_, gho_, ghu_, ghr_, github_pat_). */
    private static final Pattern SECRET_SHAPE = Pattern.compile(
            "eyJ[A-Za-z0-9_-]*\\.[A-Za-z0-9_-]*\\.[A-Za-z0-9_-]*|\\bgh[psour]_[A-Za-z0-9]+|\\bgithub_pat_[A-Za-z0-9_]+");

    private ServerText() {
    }

    /** The message of a JSON error body that has none: which fields it had, and how long it was. */
    static String describe(JsonNode answer, int bytes) {
        List<String> fields = new ArrayList<>();
        answer.fieldNames().forEachRemaining(fields::add);
        String kind = answer.isObject() ? "a JSON object" : "JSON " + answer.getNodeType().name().toLowerCase();
        return "no message in the answer (" + kind + " of " + bytes + " bytes"
                + (fields.isEmpty() ? "" : " with " + String.join(", ", fields.subList(0, Math.min(8, fields.size()))))
                + ")";
    }

    /** Server text as it may be shown: credential-shaped parts blanked, at most {@link #MAX_LENGTH} characters. */
    static String shown(String text) {
        String blanked = SECRET_SHAPE.matcher(SECRET_FIELD.matcher(text).replaceAll("$1" + REDACTED + "$2")).replaceAll(REDACTED);
        String stripped = blanked.strip();
        return stripped.length() > MAX_LENGTH ? stripped.substring(0, MAX_LENGTH) + "..." : stripped;
    }
}
