package dev.arcsim.listener.config;

import com.code_intelligence.jazzer.api.FuzzedDataProvider;
import com.code_intelligence.jazzer.junit.FuzzTest;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;

import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * ARC's config.json as arcsim's listener reads it: any text is a config or one ConfigException that says what is
 * wrong, and neither the config's text nor the error ever shows the PAT or the App's private key, even when the file
 * is broken right next to them.
 */
class ListenerConfigFuzzTest {

    private static final ObjectMapper JSON = new ObjectMapper();
    private static final String PAT = "ghp_configFuzzSecret0123456789";
    private static final String KEY = "MIIEvQIBADANBgkqhkiG9w0BAQEFAASCBKcwggSjAgEAAoIBAQC7";
    private static final String[] FIELDS = {"configure_url", "github_token", "github_app_id", "github_app_installation_id",
            "github_app_private_key", "ephemeral_runner_set_namespace", "ephemeral_runner_set_name", "min_runners",
            "max_runners", "runner_scale_set_id", "runner_scale_set_name", "server_root_ca", "log_level", "log_format",
            "metrics_addr", "metrics_endpoint", "arcsim_policy", "arcsim_policy_parameters", "arcsim_state_store",
            "arcsim_shutdown_timeout_seconds", "arcsim_request_timeout_seconds", "arcsim_standby",
            "arcsim_lease_duration_seconds", "vault_type"};
    private static final String[] WORDS = {"https://github.com/acme", "http://127.0.0.1:8765/acme", "arc-runners",
            "arc-runner-set", "debug", "info", "text", "json", "resilient", "arc-current", "arc-legacy", "lease", "memory",
            ":8080", "/metrics", ""};

    @FuzzTest(maxDuration = "10m")
    void anyTextIsAConfigOrOneClearErrorAndNeverShowsASecret(FuzzedDataProvider data) {
        ObjectNode config = JSON.createObjectNode();
        config.put(data.consumeBoolean() ? "github_token" : "github_app_private_key",
                data.consumeBoolean() ? PAT : "-----BEGIN PRIVATE KEY-----\n" + KEY + "\n-----END PRIVATE KEY-----");
        int fields = data.consumeInt(0, 12);
        for (int i = 0; i < fields; i++) {
            String name = data.pickValue(FIELDS);
            switch (data.consumeInt(0, 4)) {
                case 0 -> config.put(name, data.pickValue(WORDS));
                case 1 -> config.put(name, data.consumeLong());
                case 2 -> config.put(name, data.consumeBoolean());
                case 3 -> config.putObject(name).put(data.consumeString(12), data.consumeString(12));
                default -> config.put(name, data.consumeString(40));
            }
        }
        // the fuzzer may copy the secrets into other fields, whose values errors quote by design: check only when it did not
        boolean secretsOnlyWhereTheyBelong = true;
        for (var field : (Iterable<java.util.Map.Entry<String, com.fasterxml.jackson.databind.JsonNode>>) config::fields) {
            boolean secretField = field.getKey().equals("github_token") || field.getKey().equals("github_app_private_key");
            String value = field.getValue().toString();
            if (!secretField && (value.contains(PAT) || value.contains(KEY) || value.contains(KEY.substring(0, 12)))) {
                secretsOnlyWhereTheyBelong = false;
            }
        }
        String text = config.toString();
        if (data.consumeBoolean()) {
            // break the file somewhere, often right after the secret
            int at = data.consumeBoolean() ? Math.max(0, text.indexOf(PAT)) + PAT.length() : data.consumeInt(0, text.length());
            at = Math.max(0, Math.min(at, text.length()));
            text = text.substring(0, at) + data.consumeString(8) + text.substring(data.consumeBoolean() ? at : Math.min(text.length(), at + 1));
        }
        if (data.consumeInt(0, 7) == 0) {
            text = data.consumeRemainingAsString();
            secretsOnlyWhereTheyBelong = !text.contains(PAT) && !text.contains(KEY);
        }
        try {
            ListenerConfig parsed = ListenerConfig.parse(text, "config.json");
            assertFalse(secretsOnlyWhereTheyBelong && (parsed.toString().contains(PAT) || parsed.toString().contains(KEY)),
                    parsed.toString());
        } catch (ConfigException e) {
            String message = String.valueOf(e.getMessage());
            assertTrue(message.startsWith("config.json"), "the error names the file: " + message);
            assertFalse(secretsOnlyWhereTheyBelong && (message.contains(PAT) || message.contains(KEY)),
                    "the error shows a secret: " + message);
            assertTrue(message.lines().count() == 1, "one line: " + message);
        }
    }
}
