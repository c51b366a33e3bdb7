package dev.arcsim.cli;

import java.io.IOException;
import java.net.InetAddress;
import java.net.UnknownHostException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;

/**
 * Who may use fake-github's admin API, which injects faults, changes rules and queues jobs: on loopback anyone on the
 * machine may (the default, for tests and laptops); on any other address only a caller with the admin token, so that
 * a fake serving a staging cluster is not a fault injector for everyone who can reach its Service.
 */
final class AdminAccess {

    /** Shorter than this is guessable; a Secret made by {@code openssl rand -hex 32} is 64. */
    static final int MIN_TOKEN_LENGTH = 16;

    private AdminAccess() {
    }

    /**
     * The admin token the fake will demand, or null for an open admin API (loopback only).
     *
     * @throws ArcsimCommand.UserError when both sources or neither (off loopback) are given, or the token is unusable
     */
    static String token(String bind, String given, Path file) {
        if (given != null && file != null) {
            throw new ArcsimCommand.UserError("give the admin token once: --admin-token or --admin-token-file, not both");
        }
        String token = file != null ? read(file) : given;
        if (token != null) {
            if (token.isBlank()) {
                throw new ArcsimCommand.UserError("the admin token is empty" + (file == null ? "" : " (" + file + ")")
                        + "; make one with: openssl rand -hex 32");
            }
            if (token.length() < MIN_TOKEN_LENGTH) {
                throw new ArcsimCommand.UserError("the admin token has " + token.length() + " characters; it needs at least "
                        + MIN_TOKEN_LENGTH + " (make one with: openssl rand -hex 32)");
            }
            return token;
        }
        if (!isLoopback(bind)) {
            throw new ArcsimCommand.UserError("--bind " + bind + " is not a loopback address, and without an admin token "
                    + "anyone who can reach it could inject faults, change rules and queue jobs through /_arcsim/; give "
                    + "--admin-token-file FILE (in a pod: a mounted Secret), or serve on 127.0.0.1");
        }
        return null;
    }

    private static String read(Path file) {
        try {
            String text = Files.readString(file, StandardCharsets.UTF_8);
            return text.lines().findFirst().orElse("").strip();
        } catch (NoSuchFileException e) {
            throw new ArcsimCommand.UserError("--admin-token-file " + file + " does not exist");
        } catch (IOException e) {
            throw new ArcsimCommand.UserError("cannot read --admin-token-file " + file + ": " + e.getMessage());
        }
    }

    /** Only an address every one of whose resolutions is loopback counts; a name that does not resolve does not. */
    static boolean isLoopback(String bind) {
        try {
            InetAddress[] all = InetAddress.getAllByName(bind);
            for (InetAddress a : all) {
                if (!a.isLoopbackAddress()) {
                    return false;
                }
            }
            return all.length > 0;
        } catch (UnknownHostException e) {
            return false;
        }
    }
}
