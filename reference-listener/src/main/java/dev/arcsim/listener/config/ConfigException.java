package dev.arcsim.listener.config;

/**
 * A listener config that cannot be used: names the field and how to fix it, in one line. Values the message quotes
 * come from the file, so control characters and line separators in them are shown as backslash-u escapes (found by
 * ListenerConfigFuzzTest: a vault_type with a newline split the error over two lines).
 */
public final class ConfigException extends RuntimeException {
    public ConfigException(String message) {
        super(oneLine(message));
    }

    static String oneLine(String message) {
        StringBuilder out = new StringBuilder(message.length());
        message.codePoints().forEach(c -> {
            if (Character.isISOControl(c) || c == 0x2028 || c == 0x2029 || c == 0x85) {
                out.append(String.format("\\u%04x", c));
            } else {
                out.appendCodePoint(c);
            }
        });
        return out.toString();
    }
}
