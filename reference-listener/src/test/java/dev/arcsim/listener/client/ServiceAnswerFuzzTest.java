package dev.arcsim.listener.client;

import com.code_intelligence.jazzer.api.FuzzedDataProvider;
import com.code_intelligence.jazzer.junit.FuzzTest;
import dev.arcsim.fake.FakeGitHub;
import dev.arcsim.fake.state.ServiceState;
import dev.arcsim.fake.state.Tenant;
import dev.arcsim.listener.testing.FakeTransport;
import dev.arcsim.listener.testing.SharedClock;
import dev.arcsim.listener.wire.Transport;
import dev.arcsim.listener.wire.WireResponse;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;

/**
 * A client of GitHub must not crash on any reply. The fake answers each of the listener client's calls and the fuzzer
 * keeps, replaces, truncates or re-labels the answer (status, headers, body). Every call either returns or fails with
 * one of the errors the listener's policy handles (IOException, ApiException, MalformedResponseException), and no
 * error message carries a token the service issued or the client's PAT.
 */
class ServiceAnswerFuzzTest {

    private static final String PAT = "ghp_listenerFuzzPat0123456789";
    private static final String[] HEADERS = {"content-type", "retry-after", "activityid", "x-github-request-id",
            "content-length", "x-ratelimit-remaining"};

    /** The fake's answers, each kept or bent by the fuzzer; remembers the tokens the real answers carried. */
    private static final class BentAnswers implements Transport {
        private final Transport real;
        private final FuzzedDataProvider data;
        final List<String> issuedTokens = new ArrayList<>();
        final StringBuilder fuzzedText = new StringBuilder();

        BentAnswers(Transport real, FuzzedDataProvider data) {
            this.real = real;
            this.data = data;
        }

        @Override
        public WireResponse send(dev.arcsim.listener.wire.WireRequest request) throws IOException, InterruptedException {
            if (data.remainingBytes() > 0 && data.consumeInt(0, 15) == 0) {
                throw new IOException("connection reset (fuzzed)");
            }
            WireResponse answer = real.send(request);
            remember(answer);
            if (data.remainingBytes() == 0) {
                return answer;
            }
            return switch (data.consumeInt(0, 7)) {
                case 0, 1, 2 -> answer;
                case 3 -> fuzzed(answer.status(), answer.headers(), data.consumeBytes(400));
                case 4 -> fuzzed(data.consumeInt(100, 599), headers(answer), answer.body());
                case 5 -> fuzzed(answer.status(), answer.headers(),
                        Arrays.copyOf(answer.body(), data.consumeInt(0, answer.body().length)));
                case 6 -> fuzzed(data.pickValue(new int[] {200, 201, 202, 204, 400, 401, 403, 404, 409, 429, 500, 503}),
                        headers(answer), data.consumeBytes(400));
                default -> fuzzed(answer.status(), answer.headers(), replaceValue(answer.body()));
            };
        }

        private WireResponse fuzzed(int status, Map<String, List<String>> headers, byte[] body) {
            fuzzedText.append(new String(body, StandardCharsets.UTF_8)).append(headers);
            return new WireResponse(status, headers, body);
        }

        private Map<String, List<String>> headers(WireResponse answer) {
            Map<String, List<String>> h = new LinkedHashMap<>(answer.headers());
            int n = data.consumeInt(0, 3);
            for (int i = 0; i < n; i++) {
                h.put(data.pickValue(HEADERS), List.of(data.consumeString(40)));
            }
            return h;
        }

        /** One JSON string or number of the real answer replaced by fuzzed text: a field with a wrong value. */
        private byte[] replaceValue(byte[] body) {
            String text = new String(body, StandardCharsets.UTF_8);
            List<int[]> values = new ArrayList<>();
            java.util.regex.Matcher m = java.util.regex.Pattern.compile(":(\"(?:[^\"\\\\]|\\\\.)*\"|-?\\d+(?:\\.\\d+)?|true|false|null)").matcher(text);
            while (m.find()) {
                values.add(new int[] {m.start(1), m.end(1)});
            }
            if (values.isEmpty()) {
                return body;
            }
            int[] v = values.get(data.consumeInt(0, values.size() - 1));
            String replacement = data.consumeBoolean() ? "\"" + data.consumeString(60).replace("\"", "") + "\"" : data.consumeString(30);
            return (text.substring(0, v[0]) + replacement + text.substring(v[1])).getBytes(StandardCharsets.UTF_8);
        }

        private void remember(WireResponse answer) {
            java.util.regex.Matcher m = java.util.regex.Pattern.compile("\"(?:token|messageQueueAccessToken)\"\\s*:\\s*\"([^\"]{12,})\"")
                    .matcher(new String(answer.body(), StandardCharsets.UTF_8));
            while (m.find()) {
                issuedTokens.add(m.group(1));
            }
        }
    }

    @FuzzTest(maxDuration = "10m")
    void anyAnswerIsAValueOrAnErrorTheListenerHandles(FuzzedDataProvider data) throws InterruptedException {
        SharedClock clock = new SharedClock();
        FakeGitHub fake = new FakeGitHub(clock, FakeGitHub.Options.defaults());
        Tenant tenant = fake.state().tenantFor("organization", "acme", "acme", null);
        long set = fake.state().createScaleSet(tenant, "arc-runner-set", null, null, null).id();
        fake.state().enqueueJobs(new ServiceState.JobRequest("arc-runner-set", null, "app", "ci.yml", "build", "push", 60), 2);
        BentAnswers transport = new BentAnswers(new FakeTransport(fake), data);
        ActionsClient client = new ActionsClient(transport, clock, ConfigUrl.parse(FakeTransport.BASE + "/acme"),
                new ActionsClient.Credentials.Pat(PAT), Duration.ofMinutes(5), "arcsim-fuzz", false);
        MessageSession session = null;
        int calls = data.consumeInt(1, 10);
        for (int i = 0; i < calls && data.remainingBytes() > 0; i++) {
            try {
                switch (data.consumeInt(0, 11)) {
                    case 0, 1 -> session = client.createSession(set, "pod", data.consumeBoolean());
                    case 2, 3 -> {
                        if (session != null) {
                            client.getMessage(session, data.consumeLong(0, 10), data.consumeInt(0, 10));
                        }
                    }
                    case 4 -> {
                        if (session != null) {
                            client.deleteMessage(session, data.consumeLong(1, 5));
                        }
                    }
                    case 5 -> {
                        if (session != null) {
                            client.acquireJobs(session, set, List.of(1001L, 1002L));
                        }
                    }
                    case 6 -> {
                        if (session != null) {
                            session = client.refreshSession(set, session.sessionId());
                        }
                    }
                    case 7 -> client.getScaleSetByName(1, "arc-runner-set");
                    case 8 -> client.generateJitConfig(set, "runner-" + i, "_work");
                    case 9 -> client.runnerByName("runner-1");
                    case 10 -> client.runnerGroupId(data.consumeBoolean() ? "Default" : data.consumeString(10));
                    default -> {
                        if (session != null) {
                            client.deleteSession(set, session.sessionId());
                        }
                    }
                }
            } catch (IOException | ApiException | MalformedResponseException e) {
                String message = String.valueOf(e.getMessage());
                assertNotNull(e.getMessage(), "an error says what failed");
                String shown = message + " " + e;
                if (!transport.fuzzedText.toString().contains(PAT)) {
                    assertFalse(shown.contains(PAT), "the PAT is in an error: " + shown);
                }
                for (String token : transport.issuedTokens) {
                    // a token the fuzzer itself copied into a bent answer is its text, not a leak
                    if (!transport.fuzzedText.toString().contains(token)) {
                        assertFalse(shown.contains(token), "a token the service issued is in an error: " + shown);
                    }
                }
            }
        }
    }
}
