package dev.arcsim.listener.config;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** ARC's listener config.json, read unchanged. */
class ListenerConfigTest {

    /** The shape ARC's controller writes into the listener's config Secret. */
    static final String ARC_CONFIG = """
            {"configure_url":"https://github.com/acme","github_token":"ghp_secret123",
             "ephemeral_runner_set_namespace":"arc-runners","ephemeral_runner_set_name":"arc-runner-set-abcde",
             "max_runners":10,"min_runners":1,"runner_scale_set_id":7,"runner_scale_set_name":"arc-runner-set",
             "server_root_ca":"","log_level":"debug","log_format":"text","metrics_addr":":8080","metrics_endpoint":"/metrics",
             "metrics":{"counters":{"gha_started_jobs_total":{"labels":["repository"]}}}}
            """;

    @Test
    void readsArcsConfigAsItIsWithArcsimDefaults() {
        ListenerConfig c = ListenerConfig.parse(ARC_CONFIG, "config.json");
        assertEquals("https://github.com/acme", c.configureUrl());
        assertEquals(7, c.runnerScaleSetId());
        assertEquals(1, c.minRunners());
        assertEquals(10, c.maxRunners());
        assertEquals("resilient", c.policy());
        assertEquals("lease", c.stateStore());
        assertEquals(30, c.shutdownTimeoutSeconds());
    }

    @Test
    void maxRunnersLeftOutIsMaxInt32AsArcSendsIt() {
        ListenerConfig c = ListenerConfig.parse(ARC_CONFIG.replace("\"max_runners\":10,", ""), "config.json");
        assertEquals(Integer.MAX_VALUE, c.maxRunners());
    }

    @Test
    void theTokenIsNeverPrinted() {
        ListenerConfig c = ListenerConfig.parse(ARC_CONFIG, "config.json");
        assertFalse(c.toString().contains("ghp_secret123"), c.toString());
    }

    @ParameterizedTest(name = "{0}")
    @CsvSource(delimiter = '|', value = {
            "\"configure_url\":\"https://github.com/acme\",|\"configure_url\":\"\",|GitHubConfigUrl is not provided; set configure_url",
            "\"ephemeral_runner_set_name\":\"arc-runner-set-abcde\",||EphemeralRunnerSetNamespace \"arc-runners\" or EphemeralRunnerSetName \"\" is missing",
            "\"runner_scale_set_id\":7,||RunnerScaleSetId \"0\" is missing",
            "\"min_runners\":1,|\"min_runners\":11,|MinRunners \"11\" cannot be greater than MaxRunners \"10\"",
            "\"github_token\":\"ghp_secret123\",||no credentials; set github_token",
            "\"log_level\":\"debug\",|\"log_level\":\"loud\",|log_level must be one of debug, info, warn, error",
            "\"max_runners\":10,|\"max_runners\":\"ten\",|max_runners must be an integer"})
    void errorsSayArcsWordsAndTheFix(String replace, String with, String expected) {
        String text = ARC_CONFIG.replace(replace, with == null ? "" : with);
        ConfigException e = assertThrows(ConfigException.class, () -> ListenerConfig.parse(text, "config.json"));
        assertTrue(e.getMessage().contains(expected), e.getMessage());
        assertTrue(e.getMessage().startsWith("config.json: "), e.getMessage());
        assertFalse(e.getMessage().contains("ghp_secret123"));
    }

    @Test
    void appCredentialsNeedAllThreeFields() {
        String app = ARC_CONFIG.replace("\"github_token\":\"ghp_secret123\",", "\"github_app_id\":123,\"github_app_installation_id\":0,");
        ConfigException e = assertThrows(ConfigException.class, () -> ListenerConfig.parse(app, "c"));
        assertTrue(e.getMessage().contains("github_app_id, github_app_installation_id and github_app_private_key"), e.getMessage());
    }

    @Test
    void aVaultIsRefusedWithTheAlternative() {
        String vault = ARC_CONFIG.replace("\"min_runners\":1,", "\"min_runners\":1,\"vault_type\":\"azure_key_vault\",");
        ConfigException e = assertThrows(ConfigException.class, () -> ListenerConfig.parse(vault, "c"));
        assertTrue(e.getMessage().contains("put the credentials in github_token"), e.getMessage());
    }

    /** Found by ListenerConfigFuzzTest: Jackson's message quoted the unquoted token where the file broke. */
    @Test
    void aBrokenFileSaysWhereButNeverQuotesTheTextThere() {
        String broken = ARC_CONFIG.replace("\"github_token\":\"ghp_secret123\"", "\"github_token\":ghp_secret123");
        ConfigException e = assertThrows(ConfigException.class, () -> ListenerConfig.parse(broken, "config.json"));
        assertTrue(e.getMessage().matches("config.json is not valid JSON at line \\d+, column \\d+ \\(the text there is not shown: "
                + "it may hold a credential\\)"), e.getMessage());
        assertFalse(e.getMessage().contains("ghp_secret123"), e.getMessage());
    }

    /** Found by ListenerConfigFuzzTest: a quoted value with a newline split the error over two lines. */
    @Test
    void anErrorIsOneLineWhateverTheValuesItQuotesHold() {
        String vault = ARC_CONFIG.replace("\"min_runners\":1,", "\"min_runners\":1,\"vault_type\":\"a\\nb\\u2028c\",");
        ConfigException e = assertThrows(ConfigException.class, () -> ListenerConfig.parse(vault, "config.json"));
        assertEquals(1, e.getMessage().lines().count(), e.getMessage());
        assertTrue(e.getMessage().contains("vault_type \"a\\u000ab\\u2028c\""), e.getMessage());
    }
}
