package dev.arcsim.fake.auth;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.arcsim.fake.random.RandomSource;

import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;
import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.time.Instant;
import java.util.Base64;
import java.util.Map;
import java.util.Optional;

/**
 * Mints and reads the JWTs the fake hands out (admin tokens, message-queue tokens).
 *
 * <p>ARC reads the admin token's {@code exp} with an unverified parse and panics without it (PROTOCOL.md §1.3), so the
 * tokens are real three-part JWTs with a numeric {@code exp}. HS256 with a key from the run's seed keeps them
 * reproducible in the simulated world; golang-jwt v4 knows the algorithm.
 */
public final class Jwt {

    private static final ObjectMapper JSON = new ObjectMapper();
    private static final Base64.Encoder B64 = Base64.getUrlEncoder().withoutPadding();
    private static final Base64.Decoder B64D = Base64.getUrlDecoder();

    private final byte[] key;
    private final RandomSource random;

    public Jwt(RandomSource random) {
        this.random = random;
        this.key = random.string("0123456789abcdef", 64).getBytes(StandardCharsets.US_ASCII);
    }

    /** A signed token with the given claims plus {@code iat}, {@code nbf}, {@code exp} and a unique {@code jti}. */
    public String mint(String subject, Instant issuedAt, Instant expiresAt, Map<String, ?> extraClaims) {
        ObjectNode header = JSON.createObjectNode().put("alg", "HS256").put("typ", "JWT");
        ObjectNode claims = JSON.createObjectNode()
                .put("iss", "arcsim-fake-github")
                .put("sub", subject)
                .put("jti", random.uuid().toString())
                .put("iat", issuedAt.getEpochSecond())
                .put("nbf", issuedAt.getEpochSecond())
                .put("exp", expiresAt.getEpochSecond());
        extraClaims.forEach((k, v) -> claims.putPOJO(k, v));
        String signingInput = encode(header) + "." + encode(claims);
        return signingInput + "." + B64.encodeToString(hmac(signingInput));
    }

    /** The claims of a token this fake signed, or empty if it is not one (wrong shape or signature). */
    public Optional<JsonNode> verify(String token) {
        String[] parts = token.split("\\.", -1);
        if (parts.length != 3) {
            return Optional.empty();
        }
        byte[] expected = hmac(parts[0] + "." + parts[1]);
        byte[] actual;
        try {
            actual = B64D.decode(parts[2]);
        } catch (IllegalArgumentException e) {
            return Optional.empty();
        }
        if (!java.security.MessageDigest.isEqual(expected, actual)) {
            return Optional.empty();
        }
        return readClaims(token);
    }

    /** The claims of any syntactically valid JWT, unverified (as GitHub checks nothing we could check of an App JWT). */
    public static Optional<JsonNode> readClaims(String token) {
        String[] parts = token.split("\\.", -1);
        if (parts.length != 3) {
            return Optional.empty();
        }
        try {
            JsonNode claims = JSON.readTree(B64D.decode(parts[1]));
            return claims != null && claims.isObject() ? Optional.of(claims) : Optional.empty();
        } catch (Exception e) {
            return Optional.empty();
        }
    }

    private static String encode(ObjectNode node) {
        try {
            return B64.encodeToString(JSON.writeValueAsBytes(node));
        } catch (Exception e) {
            throw new IllegalStateException("cannot encode JWT part", e);
        }
    }

    private byte[] hmac(String input) {
        try {
            Mac mac = Mac.getInstance("HmacSHA256");
            mac.init(new SecretKeySpec(key, "HmacSHA256"));
            return mac.doFinal(input.getBytes(StandardCharsets.US_ASCII));
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("HmacSHA256 is unavailable in this JDK", e);
        }
    }
}
