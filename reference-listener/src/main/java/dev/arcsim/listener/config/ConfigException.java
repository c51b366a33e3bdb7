package dev.arcsim.listener.config;

/** A listener config that cannot be used: names the field and how to fix it. */
public final class ConfigException extends RuntimeException {
    public ConfigException(String message) {
        super(message);
    }
}
