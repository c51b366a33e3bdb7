package dev.arcsim.fake.auth;

import dev.arcsim.fake.random.RandomSource;
import dev.arcsim.fake.rules.Rules;
import dev.arcsim.fake.state.ServiceError;
import dev.arcsim.fake.time.Scheduler;

import java.time.Duration;
import java.time.Instant;
import java.util.HashMap;
import java.util.Map;
import java.util.Optional;
import java.util.function.Supplier;

/**
 * The GitHub side of authentication (PROTOCOL.md §1.3): PATs, App installation tokens, runner registration tokens,
 * and the admin JWT that runner-registration exchanges a registration token for.
 *
 * <p>Any PAT is accepted unless one is pinned. Tokens are only ever compared here; none is logged or put in an
 * error message.
 */
public final class Credentials {

    /** What an admin token grants: one tenant's Actions service until {@code expiresAt}. */
    public record AdminGrant(int tenantId, Instant expiresAt) {
    }

    public record IssuedToken(String token, Instant expiresAt) {
    }

    private static final Duration GITHUB_TOKEN_TTL = Duration.ofHours(1);
    /**
     * How long an expired token is still recognised (answered "has expired" rather than "is not valid"); after that it
     * is forgotten, so a fake serving for a week holds the tokens of the last hours, not every token it ever issued.
     */
    static final Duration EXPIRED_TOKENS_KEPT = Duration.ofHours(1);
    /** Forgetting runs once per this many issued tokens, so its cost per token stays constant. */
    private static final int SWEEP_EVERY = 64;
    private static final String UPPER_ALNUM = "ABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789";
    private static final String ALNUM = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789";

    private final Scheduler scheduler;
    private final RandomSource random;
    private final Jwt jwt;
    private final SecretComparison pinnedPat;
    private final Supplier<Rules> rules;
    private final Map<String, Instant> installationTokens = new HashMap<>();
    private final Map<String, RegistrationGrant> registrationTokens = new HashMap<>();
    private final Map<String, AdminGrant> adminTokens = new HashMap<>();
    private int issuedSinceSweep;

    private record RegistrationGrant(String scopeKey, Instant expiresAt) {
    }

    /** @param pinnedPat the only PAT accepted, or null to accept any */
    public Credentials(Scheduler scheduler, RandomSource random, Jwt jwt, String pinnedPat, Supplier<Rules> rules) {
        this.scheduler = scheduler;
        this.random = random;
        this.jwt = jwt;
        this.pinnedPat = pinnedPat == null ? null : new SecretComparison(pinnedPat);
        this.rules = rules;
    }

    /** Accepts a PAT (any, unless pinned) or an installation token this fake issued; else 401 Bad credentials. */
    public synchronized void requireGitHubToken(String authorization) {
        String token = bearer(authorization).orElseThrow(Credentials::badCredentials);
        Instant installationExpiry = installationTokens.get(token);
        if (installationExpiry != null) {
            if (scheduler.now().isBefore(installationExpiry)) {
                return;
            }
            throw badCredentials();
        }
        if (pinnedPat != null ? !pinnedPat.matches(token) : token.isBlank()) {
            throw badCredentials();
        }
    }

    /**
     * {@code POST /app/installations/{id}/access_tokens} with an App JWT: the JWT must parse and carry {@code iss}
     * (the fake cannot check a signature made with the App's private key).
     */
    public synchronized IssuedToken issueInstallationToken(String authorization) {
        String appJwt = bearer(authorization).orElseThrow(Credentials::badCredentials);
        boolean looksLikeAppJwt = Jwt.readClaims(appJwt).map(c -> c.hasNonNull("iss")).orElse(false);
        if (!looksLikeAppJwt) {
            throw ServiceError.gitHub(401, "A JSON web token could not be decoded");
        }
        Instant expires = scheduler.now().plus(GITHUB_TOKEN_TTL);
        String token = "ghs_" + random.string(ALNUM, 36);
        installationTokens.put(token, expires);
        issued();
        return new IssuedToken(token, expires);
    }

    /** {@code POST .../actions/runners/registration-token} for the scope named by {@code scopeKey}. */
    public synchronized IssuedToken issueRegistrationToken(String authorization, String scopeKey) {
        requireGitHubToken(authorization);
        Instant expires = scheduler.now().plus(GITHUB_TOKEN_TTL);
        String token = random.string(UPPER_ALNUM, 29);
        registrationTokens.put(token, new RegistrationGrant(scopeKey, expires));
        issued();
        return new IssuedToken(token, expires);
    }

    /**
     * {@code POST /actions/runner-registration} with {@code RemoteAuth <registration token>}: the token must be
     * live and issued for the scope the body's config URL names.
     */
    public synchronized IssuedToken issueAdminToken(String authorization, String scopeKey, int tenantId) {
        String token = scheme(authorization, "RemoteAuth").orElseThrow(Credentials::badCredentials);
        RegistrationGrant grant = registrationTokens.get(token);
        if (grant == null || !scheduler.now().isBefore(grant.expiresAt())) {
            throw badCredentials();
        }
        if (!grant.scopeKey().equalsIgnoreCase(scopeKey)) {
            throw ServiceError.gitHub(403, "The registration token was issued for another owner than the config URL names.");
        }
        Instant now = scheduler.now();
        Instant expires = now.plus(rules.get().adminTokenTtl());
        String admin = jwt.mint("tenant:" + tenantId, now, expires, Map.of("tenant", tenantId));
        adminTokens.put(admin, new AdminGrant(tenantId, expires));
        issued();
        return new IssuedToken(admin, expires);
    }

    /** The grant behind an admin token for the given tenant; 401 when it is unknown, expired or for another tenant. */
    public synchronized AdminGrant requireAdminToken(String authorization, int tenantId) {
        String token = bearer(authorization)
                .orElseThrow(() -> ServiceError.actions(401, "VssUnauthorizedException", "No admin token was sent."));
        AdminGrant grant = adminTokens.get(token);
        if (grant == null) {
            throw ServiceError.actions(401, "VssUnauthorizedException", "The admin token is not valid.");
        }
        if (!scheduler.now().isBefore(grant.expiresAt())) {
            throw ServiceError.actions(401, "VssUnauthorizedException", "The admin token has expired.");
        }
        if (grant.tenantId() != tenantId) {
            throw ServiceError.actions(401, "VssUnauthorizedException", "The admin token is for another tenant.");
        }
        return grant;
    }

    /** How many tokens are remembered now (live ones, and ones expired within {@link #EXPIRED_TOKENS_KEPT}). */
    public synchronized int tokensKept() {
        return installationTokens.size() + registrationTokens.size() + adminTokens.size();
    }

    private void issued() {
        if (++issuedSinceSweep < SWEEP_EVERY) {
            return;
        }
        issuedSinceSweep = 0;
        Instant forgetBefore = scheduler.now().minus(EXPIRED_TOKENS_KEPT);
        installationTokens.values().removeIf(expires -> expires.isBefore(forgetBefore));
        registrationTokens.values().removeIf(grant -> grant.expiresAt().isBefore(forgetBefore));
        adminTokens.values().removeIf(grant -> grant.expiresAt().isBefore(forgetBefore));
    }

    public static Optional<String> bearer(String authorization) {
        return scheme(authorization, "Bearer").or(() -> scheme(authorization, "token"));
    }

    private static Optional<String> scheme(String authorization, String scheme) {
        if (authorization == null || !authorization.regionMatches(true, 0, scheme + " ", 0, scheme.length() + 1)) {
            return Optional.empty();
        }
        String value = authorization.substring(scheme.length() + 1).trim();
        return value.isEmpty() ? Optional.empty() : Optional.of(value);
    }

    private static ServiceError badCredentials() {
        return ServiceError.gitHub(401, "Bad credentials");
    }
}
