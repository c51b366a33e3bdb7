package dev.arcsim.listener.config;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.Map;

/**
 * ARC's listener {@code config.json}, read unchanged (PROTOCOL.md §4.1, field names of
 * {@code cmd/ghalistener/config/config.go}), plus arcsim's own settings as extra {@code arcsim_*} fields with
 * defaults, so ARC's file works as it is. Validation messages are ARC's, each followed by the fix.
 *
 * @param maxRunners   {@link Integer#MAX_VALUE} when the file leaves it out, as ARC sends it
 * @param policy       {@code arcsim_policy}: {@code resilient} (default), {@code arc-legacy} or {@code arc-current}
 * @param policyParameters {@code arcsim_policy_parameters}: the policy's parameters (see PolicyFactory)
 * @param stateStore   {@code arcsim_state_store}: where the session id and last message id are kept:
 *                     {@code lease} (a Lease in the EphemeralRunnerSet's namespace), {@code memory} or {@code none}
 * @param standby      {@code arcsim_standby}: run as one of several replicas, only the Lease holder polling
 * @param leaseDurationSeconds {@code arcsim_lease_duration_seconds}: how long a silent leader keeps the lease (90)
 */
public record ListenerConfig(
        String configureUrl,
        String githubToken,
        String githubAppId,
        long githubAppInstallationId,
        String githubAppPrivateKey,
        String ephemeralRunnerSetNamespace,
        String ephemeralRunnerSetName,
        int minRunners,
        int maxRunners,
        long runnerScaleSetId,
        String runnerScaleSetName,
        String serverRootCa,
        String logLevel,
        String logFormat,
        String metricsAddr,
        String metricsEndpoint,
        String policy,
        Map<String, Object> policyParameters,
        String stateStore,
        long shutdownTimeoutSeconds,
        long requestTimeoutSeconds,
        boolean standby,
        long leaseDurationSeconds) {

    private static final ObjectMapper JSON = new ObjectMapper();

    /** Reads the file ARC mounts at /etc/gha-listener/config.json (or any path given). */
    public static ListenerConfig read(Path file) {
        String text;
        try {
            text = Files.readString(file);
        } catch (NoSuchFileException e) {
            throw new ConfigException("config file " + file + " does not exist; pass --config FILE or set LISTENER_CONFIG_PATH");
        } catch (IOException e) {
            throw new ConfigException("cannot read config file " + file + ": " + e.getMessage());
        }
        return parse(text, file.toString());
    }

    public static ListenerConfig parse(String text, String source) {
        JsonNode root;
        try {
            root = JSON.readTree(text.startsWith("\uFEFF") ? text.substring(1) : text);
        } catch (IOException e) {
            // Jackson's message quotes the text where it stopped, which may be the token or the key beside it (found by
            // ListenerConfigFuzzTest): say where, not what
            String where = e instanceof com.fasterxml.jackson.core.JsonProcessingException j && j.getLocation() != null
                    ? " at line " + j.getLocation().getLineNr() + ", column " + j.getLocation().getColumnNr() : "";
            throw new ConfigException(source + " is not valid JSON" + where
                    + " (the text there is not shown: it may hold a credential)");
        }
        if (root == null || !root.isObject()) {
            throw new ConfigException(source + " must hold a JSON object");
        }
        Fields f = new Fields(root, source);
        String vault = f.string("vault_type", "");
        if (!vault.isEmpty()) {
            throw new ConfigException(source + ": vault_type \"" + vault + "\" is not supported by arcsim's listener; "
                    + "put the credentials in github_token or github_app_id/github_app_installation_id/github_app_private_key");
        }
        ListenerConfig c = new ListenerConfig(
                f.string("configure_url", ""),
                f.string("github_token", ""),
                f.idString("github_app_id"),
                f.longValue("github_app_installation_id", 0),
                f.string("github_app_private_key", ""),
                f.string("ephemeral_runner_set_namespace", ""),
                f.string("ephemeral_runner_set_name", ""),
                (int) f.longValue("min_runners", 0),
                f.has("max_runners") ? (int) f.longValue("max_runners", Integer.MAX_VALUE) : Integer.MAX_VALUE,
                f.longValue("runner_scale_set_id", 0),
                f.string("runner_scale_set_name", ""),
                f.string("server_root_ca", ""),
                f.string("log_level", "debug"),
                f.string("log_format", "text"),
                f.string("metrics_addr", ""),
                f.string("metrics_endpoint", "/metrics"),
                f.string("arcsim_policy", "resilient"),
                f.object("arcsim_policy_parameters"),
                f.string("arcsim_state_store", "lease"),
                f.longValue("arcsim_shutdown_timeout_seconds", 30),
                f.longValue("arcsim_request_timeout_seconds", 300),
                f.bool("arcsim_standby", false),
                f.longValue("arcsim_lease_duration_seconds", 90));
        c.validate(source);
        return c;
    }

    /** ARC's checks, in ARC's words (PROTOCOL.md §4.1), each with the fix. */
    public void validate(String source) {
        String at = source + ": ";
        if (configureUrl.isEmpty()) {
            throw new ConfigException(at + "GitHubConfigUrl is not provided; set configure_url, e.g. https://github.com/my-org");
        }
        if (ephemeralRunnerSetNamespace.isEmpty() || ephemeralRunnerSetName.isEmpty()) {
            throw new ConfigException(at + "EphemeralRunnerSetNamespace \"" + ephemeralRunnerSetNamespace
                    + "\" or EphemeralRunnerSetName \"" + ephemeralRunnerSetName + "\" is missing; set "
                    + "ephemeral_runner_set_namespace and ephemeral_runner_set_name");
        }
        if (runnerScaleSetId == 0) {
            throw new ConfigException(at + "RunnerScaleSetId \"0\" is missing; set runner_scale_set_id to the scale set's id");
        }
        if (minRunners > maxRunners) {
            throw new ConfigException(at + "MinRunners \"" + minRunners + "\" cannot be greater than MaxRunners \""
                    + maxRunners + "\"; lower min_runners or raise max_runners");
        }
        if (minRunners < 0) {
            throw new ConfigException(at + "min_runners must be 0 or more, got " + minRunners);
        }
        boolean token = !githubToken.isEmpty();
        boolean app = !githubAppId.isEmpty() || githubAppInstallationId != 0 || !githubAppPrivateKey.isEmpty();
        if (token == app) {
            throw new ConfigException(at + (token
                    ? "both github_token and github_app_* are set; keep exactly one kind of credentials"
                    : "no credentials; set github_token, or github_app_id, github_app_installation_id and github_app_private_key"));
        }
        if (app && (githubAppId.isEmpty() || githubAppInstallationId == 0 || githubAppPrivateKey.isEmpty())) {
            throw new ConfigException(at + "GitHub App credentials need all of github_app_id, github_app_installation_id "
                    + "and github_app_private_key");
        }
        if (!logLevel.matches("debug|info|warn|error")) {
            throw new ConfigException(at + "log_level must be one of debug, info, warn, error, got \"" + logLevel + "\"");
        }
        if (!logFormat.matches("text|json")) {
            throw new ConfigException(at + "log_format must be text or json, got \"" + logFormat + "\"");
        }
        if (!stateStore.matches("lease|memory|none")) {
            throw new ConfigException(at + "arcsim_state_store must be one of lease, memory, none, got \"" + stateStore + "\"");
        }
        if (standby && !stateStore.equals("lease")) {
            throw new ConfigException(at + "arcsim_standby needs arcsim_state_store lease, so a new leader can take the session over");
        }
        if (leaseDurationSeconds < 2) {
            throw new ConfigException(at + "arcsim_lease_duration_seconds must be 2 or more, got " + leaseDurationSeconds);
        }
        if (shutdownTimeoutSeconds < 1 || requestTimeoutSeconds < 1) {
            throw new ConfigException(at + "arcsim_shutdown_timeout_seconds and arcsim_request_timeout_seconds must be 1 or more");
        }
    }

    public boolean usesGitHubApp() {
        return githubToken.isEmpty();
    }

    public ListenerConfig withPolicy(String name) {
        return withPolicy(name, policyParameters);
    }

    public ListenerConfig withPolicy(String name, Map<String, Object> parameters) {
        return new ListenerConfig(configureUrl, githubToken, githubAppId, githubAppInstallationId, githubAppPrivateKey,
                ephemeralRunnerSetNamespace, ephemeralRunnerSetName, minRunners, maxRunners, runnerScaleSetId,
                runnerScaleSetName, serverRootCa, logLevel, logFormat, metricsAddr, metricsEndpoint, name,
                parameters, stateStore, shutdownTimeoutSeconds, requestTimeoutSeconds, standby, leaseDurationSeconds);
    }

    /** The transport's per-request timeout (long polls included), in seconds. */
    public ListenerConfig withRequestTimeoutSeconds(long seconds) {
        return new ListenerConfig(configureUrl, githubToken, githubAppId, githubAppInstallationId, githubAppPrivateKey,
                ephemeralRunnerSetNamespace, ephemeralRunnerSetName, minRunners, maxRunners, runnerScaleSetId,
                runnerScaleSetName, serverRootCa, logLevel, logFormat, metricsAddr, metricsEndpoint, policy,
                policyParameters, stateStore, shutdownTimeoutSeconds, seconds, standby, leaseDurationSeconds);
    }

    public ListenerConfig withStateStore(String store) {
        return new ListenerConfig(configureUrl, githubToken, githubAppId, githubAppInstallationId, githubAppPrivateKey,
                ephemeralRunnerSetNamespace, ephemeralRunnerSetName, minRunners, maxRunners, runnerScaleSetId,
                runnerScaleSetName, serverRootCa, logLevel, logFormat, metricsAddr, metricsEndpoint, policy,
                policyParameters, store, shutdownTimeoutSeconds, requestTimeoutSeconds, standby, leaseDurationSeconds);
    }

    public ListenerConfig withStandby(boolean on) {
        return new ListenerConfig(configureUrl, githubToken, githubAppId, githubAppInstallationId, githubAppPrivateKey,
                ephemeralRunnerSetNamespace, ephemeralRunnerSetName, minRunners, maxRunners, runnerScaleSetId,
                runnerScaleSetName, serverRootCa, logLevel, logFormat, metricsAddr, metricsEndpoint, policy,
                policyParameters, stateStore, shutdownTimeoutSeconds, requestTimeoutSeconds, on, leaseDurationSeconds);
    }

    /** Secrets are never printed. */
    @Override
    public String toString() {
        return "ListenerConfig[configure_url=" + configureUrl + ", scale set " + runnerScaleSetName + " (" + runnerScaleSetId
                + "), ephemeral runner set " + ephemeralRunnerSetNamespace + "/" + ephemeralRunnerSetName + ", runners "
                + minRunners + ".." + maxRunners + ", policy " + policy + ", credentials "
                + (usesGitHubApp() ? "GitHub App " + githubAppId : "PAT") + "]";
    }

    /** Typed field reads that name the field on a wrong type. */
    private record Fields(JsonNode root, String source) {
        boolean has(String name) {
            return root.hasNonNull(name);
        }

        String string(String name, String fallback) {
            JsonNode v = root.get(name);
            if (v == null || v.isNull()) {
                return fallback;
            }
            if (!v.isTextual()) {
                throw new ConfigException(source + ": " + name + " must be a string, got " + v.getNodeType().name().toLowerCase());
            }
            return v.asText();
        }

        /** github_app_id is a string in ARC's struct, but a number is what people write. */
        String idString(String name) {
            JsonNode v = root.get(name);
            if (v == null || v.isNull()) {
                return "";
            }
            if (v.isTextual() || v.isIntegralNumber()) {
                return v.asText();
            }
            throw new ConfigException(source + ": " + name + " must be a string or a number");
        }

        boolean bool(String name, boolean fallback) {
            JsonNode v = root.get(name);
            if (v == null || v.isNull()) {
                return fallback;
            }
            if (!v.isBoolean()) {
                throw new ConfigException(source + ": " + name + " must be true or false, got " + v);
            }
            return v.asBoolean();
        }

        long longValue(String name, long fallback) {
            JsonNode v = root.get(name);
            if (v == null || v.isNull()) {
                return fallback;
            }
            if (!v.isIntegralNumber()) {
                throw new ConfigException(source + ": " + name + " must be an integer, got " + v);
            }
            return v.asLong();
        }

        Map<String, Object> object(String name) {
            JsonNode v = root.get(name);
            if (v == null || v.isNull()) {
                return Map.of();
            }
            if (!v.isObject()) {
                throw new ConfigException(source + ": " + name + " must be an object");
            }
            return JSON.convertValue(v, JSON.getTypeFactory().constructMapType(Map.class, String.class, Object.class));
        }
    }
}
