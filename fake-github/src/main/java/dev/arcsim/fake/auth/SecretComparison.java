package dev.arcsim.fake.auth;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;

/**
 * Compares a presented secret with the expected one in time that depends on neither: both are digested first, since
 * {@link MessageDigest#isEqual} is constant-time only for inputs of one length, and a fake reachable in a staging
 * cluster should not leak its admin token's length or prefix through how quickly it refuses.
 */
public final class SecretComparison {

    private final byte[] expected;

    public SecretComparison(String expected) {
        this.expected = digest(expected);
    }

    public boolean matches(String presented) {
        return MessageDigest.isEqual(expected, digest(presented == null ? "" : presented));
    }

    private static byte[] digest(String text) {
        try {
            return MessageDigest.getInstance("SHA-256").digest(text.getBytes(StandardCharsets.UTF_8));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("every Java platform has SHA-256", e);
        }
    }
}
