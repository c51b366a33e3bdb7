package dev.arcsim.fake;

import com.fasterxml.jackson.databind.JsonNode;
import dev.arcsim.fake.admin.AdminApi;
import dev.arcsim.fake.admin.FakeConfig;
import dev.arcsim.fake.api.ApiRequest;
import dev.arcsim.fake.api.ApiResponse;
import dev.arcsim.fake.api.Endpoint;
import dev.arcsim.fake.api.Routes;
import dev.arcsim.fake.api.ServiceApi;
import dev.arcsim.fake.api.WireJson;
import dev.arcsim.fake.auth.Credentials;
import dev.arcsim.fake.auth.Jwt;
import dev.arcsim.fake.faults.FaultContext;
import dev.arcsim.fake.faults.FaultEngine;
import dev.arcsim.fake.faults.FaultRule;
import dev.arcsim.fake.journal.Journal;
import dev.arcsim.fake.random.RandomSource;
import dev.arcsim.fake.rules.Rules;
import dev.arcsim.fake.rules.RulesCodec;
import dev.arcsim.fake.state.ServiceError;
import dev.arcsim.fake.state.ServiceState;
import dev.arcsim.fake.time.Scheduler;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;

/**
 * The fake GitHub + Actions scale-set service as one handler: {@code (request) -> response} over its state, its
 * rules and the faults in force. {@link dev.arcsim.fake.http.FakeGitHubServer} serves it over HTTP; an in-process
 * transport can call {@link #handle(ApiRequest)} directly.
 */
public final class FakeGitHub {

    private static final Logger LOG = LoggerFactory.getLogger(FakeGitHub.class);
    public static final String ADMIN_PREFIX = "/_arcsim/";

    private final Scheduler scheduler;
    private final RandomSource random;
    private final ServiceState state;
    private final ServiceApi api;
    private final FaultEngine faults;
    private final Journal journal;
    private final AdminApi admin;
    private final Credentials credentials;

    /**
     * Options a fake is started with.
     *
     * @param retainedCompletedJobs completed jobs kept readable before the oldest are retired (their counts stay)
     */
    public record Options(long seed, Rules rules, String pinnedToken, String adminToken, int journalCapacity,
                          int retainedCompletedJobs) {
        public static Options defaults() {
            return new Options(1, Rules.defaults(), null, null, 100_000, ServiceState.RETAINED_COMPLETED_JOBS);
        }

        public Options withSeed(long s) {
            return new Options(s, rules, pinnedToken, adminToken, journalCapacity, retainedCompletedJobs);
        }

        public Options withRules(Rules r) {
            return new Options(seed, r, pinnedToken, adminToken, journalCapacity, retainedCompletedJobs);
        }

        public Options withPinnedToken(String t) {
            return new Options(seed, rules, t, adminToken, journalCapacity, retainedCompletedJobs);
        }

        public Options withAdminToken(String t) {
            return new Options(seed, rules, pinnedToken, t, journalCapacity, retainedCompletedJobs);
        }

        public Options withRetainedCompletedJobs(int n) {
            return new Options(seed, rules, pinnedToken, adminToken, journalCapacity, n);
        }
    }

    private volatile dev.arcsim.fake.state.StateObserver requestObserver = dev.arcsim.fake.state.StateObserver.NONE;

    public FakeGitHub(Scheduler scheduler, Options options) {
        this.scheduler = scheduler;
        this.random = new RandomSource(options.seed());
        Jwt jwt = new Jwt(random);
        this.state = new ServiceState(scheduler, random, jwt, options.rules(), options.retainedCompletedJobs());
        this.credentials = new Credentials(scheduler, random, jwt, options.pinnedToken(), state::rules);
        this.api = new ServiceApi(state, credentials);
        this.faults = new FaultEngine(random, scheduler.now());
        this.journal = new Journal(options.journalCapacity());
        this.admin = new AdminApi(this, options.adminToken());
    }

    /** Applies a start configuration: runner groups, rules, then faults. All of it is checked before any is applied. */
    public void apply(FakeConfig config) {
        Rules merged = config.rules() == null ? rules() : RulesCodec.merge(rules(), config.rules(), "rules");
        List<FaultRule> parsed = config.parseFaults(faults::nextId);
        config.runnerGroups().forEach(state::addRunnerGroup);
        state.applyRules(merged);
        faults.addAll(parsed);
    }

    /**
     * Hears every state change (see {@link dev.arcsim.fake.state.StateObserver}) and every answered request: an
     * {@code api-call} event (endpoint, method, status, outcome) and one {@code fault-injected} event per fault that
     * hit the request.
     */
    public void observe(dev.arcsim.fake.state.StateObserver observer) {
        state.observe(observer);
        this.requestObserver = observer == null ? dev.arcsim.fake.state.StateObserver.NONE : observer;
    }

    public ServiceState state() {
        return state;
    }

    public FaultEngine faults() {
        return faults;
    }

    public Journal journal() {
        return journal;
    }

    public Scheduler scheduler() {
        return scheduler;
    }

    public Rules rules() {
        return state.rules();
    }

    /**
     * What the fake holds that grows with use, each with its bound: jobs (completed ones past
     * {@link Options#retainedCompletedJobs()} are retired), tokens (forgotten an hour after they expire) and journal
     * entries (at most {@link Options#journalCapacity()}). A soak reads it to show memory is flat by construction.
     */
    public record Held(int jobs, long jobsRetired, int tokens, int journalEntries) {
    }

    public Held held() {
        ServiceState.JobsHeld jobs = state.jobsHeld();
        return new Held(jobs.held(), jobs.retired(), credentials.tokensKept(), journal.size());
    }

    /** Applies a partial rules update (see {@link RulesCodec}); a bad update changes nothing. */
    public Rules updateRules(JsonNode patch) {
        Rules next = RulesCodec.merge(rules(), patch, "");
        state.applyRules(next);
        return next;
    }

    /** Handles one request: the admin API under {@value #ADMIN_PREFIX}, otherwise the service, faults applied. */
    public ApiResponse handle(ApiRequest request) {
        if (request.path().startsWith(ADMIN_PREFIX)) {
            return admin.handle(request);
        }
        Instant started = scheduler.now();
        Routes.Match route = Routes.match(request.method(), request.path());
        Endpoint endpoint = route.endpoint();
        List<FaultRule> selected = faults.select(request, endpoint, started);
        FaultContext context = new Context(endpoint);
        FaultEngine.Realised realised = faults.realise(selected, () -> serve(request, route), context);
        ApiResponse response = realised.response();
        response = withRequestId(response, endpoint);
        String outcome = response.delivery().broken() == null ? "ok"
                : response.delivery().broken().name().toLowerCase().replace('_', '-');
        Map<String, String> query = new LinkedHashMap<>();
        request.query().forEach((k, v) -> query.put(k, String.join(",", v)));
        int status = response.delivery().broken() == null ? response.status() : 0;
        List<FaultEngine.Hit> hits = FaultEngine.hits(realised.faults());
        journal.record(started, scheduler.now(), endpoint.wireName(), request.method(), request.path(), query,
                status, outcome, hits);
        Instant answered = scheduler.now();
        for (FaultEngine.Hit hit : hits) {
            requestObserver.on(answered, "fault-injected", Map.of("fault", hit.id(), "kind", hit.kind(),
                    "endpoint", endpoint.wireName()));
        }
        Map<String, Object> call = new LinkedHashMap<>(Map.of("endpoint", endpoint.wireName(), "method", request.method(),
                "status", status, "outcome", outcome, "ms", java.time.Duration.between(started, answered).toMillis()));
        if (status == 200 && realised.faults().stream().anyMatch(r -> r.fault().altersAnswer())) {
            call.put("altered", true);   // a 200, but not the service's answer: the client was not served
        }
        requestObserver.on(answered, "api-call", call);
        return response;
    }

    private ApiResponse serve(ApiRequest request, Routes.Match route) {
        try {
            return api.handle(request, route);
        } catch (ServiceError e) {
            return errorResponse(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return ApiResponse.json(503, "{}").broken(ApiResponse.Break.CONNECTION_RESET);
        } catch (RuntimeException e) {
            LOG.error("fake-github failed on {} {}: {}", request.method(), request.path(), e.toString(), e);
            return errorResponse(ServiceError.actions(500, "InternalServerErrorException",
                    "fake-github failed: " + e.getClass().getSimpleName()));
        }
    }

    /** The error body of the error's family, with {@code Retry-After} and GitHub's rate-limit headers where they belong. */
    public static ApiResponse errorResponse(ServiceError e) {
        String body = e.family() == ServiceError.Family.ACTIONS
                ? WireJson.write(WireJson.error(e.typeName(), e.getMessage()))
                : WireJson.write(WireJson.gitHubError(e.getMessage()));
        Map<String, String> headers = new LinkedHashMap<>();
        headers.put("Content-Type", "application/json; charset=utf-8");
        if (e.retryAfterSeconds() != null) {
            headers.put("Retry-After", Long.toString(e.retryAfterSeconds()));
        }
        if (e.family() == ServiceError.Family.GITHUB_REST && (e.status() == 403 || e.status() == 429)
                && e.retryAfterSeconds() != null) {
            headers.put("X-RateLimit-Remaining", "0");
        }
        return ApiResponse.of(e.status(), headers, body.getBytes(StandardCharsets.UTF_8));
    }

    private ApiResponse withRequestId(ApiResponse response, Endpoint endpoint) {
        if (endpoint.family() == Endpoint.Family.GITHUB_REST) {
            return response.headers().containsKey("X-GitHub-Request-Id") ? response
                    : response.withHeader("X-GitHub-Request-Id", random.string("0123456789ABCDEF", 4) + ":"
                    + random.string("0123456789ABCDEF", 6) + ":" + random.string("0123456789ABCDEF", 8));
        }
        return response.headers().containsKey("ActivityId") ? response
                : response.withHeader("ActivityId", random.uuid().toString());
    }

    private final class Context implements FaultContext {
        private final Endpoint endpoint;

        Context(Endpoint endpoint) {
            this.endpoint = Objects.requireNonNull(endpoint);
        }

        @Override
        public Endpoint endpoint() {
            return endpoint;
        }

        @Override
        public RandomSource random() {
            return random;
        }

        @Override
        public ApiResponse error(int status, String typeName, String message, Long retryAfterSeconds) {
            ServiceError e = endpoint.family() == Endpoint.Family.GITHUB_REST
                    ? ServiceError.gitHub(status, message, retryAfterSeconds)
                    : ServiceError.actions(status, typeName, message, retryAfterSeconds);
            return errorResponse(e);
        }
    }
}
