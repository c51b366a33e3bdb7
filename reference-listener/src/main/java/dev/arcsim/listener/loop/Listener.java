package dev.arcsim.listener.loop;

import dev.arcsim.listener.client.ActionsClient;
import dev.arcsim.listener.client.ApiException;
import dev.arcsim.listener.client.JobMessage;
import dev.arcsim.listener.client.MalformedResponseException;
import dev.arcsim.listener.client.MessageSession;
import dev.arcsim.listener.client.ScaleSetMessage;
import dev.arcsim.listener.client.Statistics;
import dev.arcsim.listener.ops.Metrics;
import dev.arcsim.listener.policy.GaveUpException;
import dev.arcsim.listener.policy.Line;
import dev.arcsim.listener.policy.ListenerPolicy;
import dev.arcsim.listener.policy.Retrier;
import dev.arcsim.listener.scaling.RunnerSets;
import dev.arcsim.listener.scaling.Scaler;
import dev.arcsim.listener.session.LeaderLease;
import dev.arcsim.listener.session.SessionStore;
import dev.arcsim.listener.time.Scheduler;
import org.slf4j.MDC;

import java.io.IOException;
import java.time.Duration;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.random.RandomGenerator;

/**
 * The listener, top to bottom: open a session, scale to the session's statistics, then poll, handle each message in
 * the order of the policy's line, and scale. ARC's policies exit on what ARC exits on; the resilient one keeps going,
 * reports not-ready while it cannot poll, and takes over the session a killed predecessor left behind.
 */
public final class Listener {

    /** What the listener is for, from ARC's config. */
    public record Settings(long scaleSetId, String scaleSetName, String namespace, String runnerSetName, int minRunners,
                           int maxRunners, String owner, Duration shutdownTimeout, Map<String, String> metricLabels,
                           Standby standby) {
    }

    /**
     * Standby replicas: only the holder of the leader lease opens a session; the others wait, not ready, and try
     * again every {@code retryPeriod}. The leader renews before each poll, so {@code leaseDuration} must outlast a
     * long poll plus a backoff.
     */
    public record Standby(LeaderLease lease, Duration leaseDuration, Duration retryPeriod) {
    }

    /** Ends {@link #run()} with an exit code, as ARC's process ends. */
    static final class Exit extends Exception {
        final int code;

        Exit(int code, String reason, Throwable cause) {
            super(reason, cause, false, false);
            this.code = code;
        }
    }

    @FunctionalInterface
    private interface SessionCall<T> {
        T run(MessageSession session) throws IOException, InterruptedException, ApiException, MalformedResponseException;
    }

    private final Settings settings;
    private final ListenerPolicy policy;
    private final ActionsClient client;
    private final RunnerSets runnerSets;
    private final SessionStore store;
    private final Scheduler scheduler;
    private final RandomGenerator random;
    private final ListenerEvents events;
    private final Metrics metrics;
    private final Retrier retrier;
    private final Scaler scaler;

    private volatile boolean ready;
    private volatile boolean stopping;
    private volatile boolean abandoned;
    private boolean leading;
    private volatile Thread runThread;
    private volatile MessageSession session;
    private long lastMessageId;
    private Statistics lastStatistics;
    private Instant failingSince;

    public Listener(Settings settings, ListenerPolicy policy, ActionsClient client, RunnerSets runnerSets,
                    SessionStore store, Scheduler scheduler, RandomGenerator random, ListenerEvents events, Metrics metrics) {
        this.settings = settings;
        this.policy = policy;
        this.client = client;
        this.runnerSets = runnerSets;
        this.store = store;
        this.scheduler = scheduler;
        this.random = random;
        this.events = events;
        this.metrics = metrics;
        this.retrier = new Retrier(policy, scheduler, random, this::retried);
        this.scaler = new Scaler(policy.line(), settings.minRunners(), settings.maxRunners());
    }

    /** True while the listener holds a live session and its last poll answered. */
    public boolean ready() {
        return ready;
    }

    public Optional<MessageSession> session() {
        return Optional.ofNullable(session);
    }

    /** A graceful stop (SIGTERM): the running loop ends, deletes its session within the deadline, and returns. */
    public void stop() {
        stopping = true;
        Thread t = runThread;
        if (t != null) {
            t.interrupt();
        }
    }

    /** A SIGKILL as far as the service can tell: the loop ends and deletes nothing. */
    public void abandon() {
        abandoned = true;
        stop();
    }

    /** Runs until stopped or until the policy says to exit; answers the process exit code. */
    public int run() {
        runThread = Thread.currentThread();
        MDC.put("scaleSet", settings.scaleSetName() + "(" + settings.scaleSetId() + ")");
        emit("listener-started", "policy", policy.name(), "owner", settings.owner());
        gauge("gha_min_runners", "Minimum number of runners.", settings.minRunners());
        gauge("gha_max_runners", "Maximum number of runners.", settings.maxRunners());
        int code;
        try {
            lead();
            openSession(false);
            onStatistics(session.statistics());
            scale(session.statistics().totalAssignedJobs(), 0, true);
            loop();
            code = policy.exitCodeOnStop();
        } catch (InterruptedException e) {
            code = policy.exitCodeOnStop();
        } catch (Exit e) {
            emit("listener-error", "error", e.getMessage());
            code = e.code;
        } catch (RuntimeException e) {
            // a bug or an unexpected library failure: end as a crashed process would, but still clean up
            emit("listener-error", "error", e.getClass().getSimpleName() + ": " + e.getMessage());
            code = 1;
        } finally {
            notReady();
        }
        Thread.interrupted();  // the stop's interrupt must not cut the session delete short
        if (!abandoned) {
            closeSession();
            releaseLeadership();
        }
        emit("listener-exited", "exitCode", code, "abandoned", abandoned);
        MDC.clear();
        return code;
    }

    // ------------------------------------------------------------------ session

    /**
     * Creates the session. A resilient listener first deletes the session its predecessor left (from the state
     * store), so a killed listener's replacement meets no 409; ARC meets it and exits (0.13 on) or waits it out (0.8.1).
     */
    private void openSession(boolean afterLoss) throws InterruptedException, Exit {
        String stale = null;   // a predecessor's session not yet deleted: tried again on each 409
        if (policy.persistState()) {
            Optional<SessionStore.Stored> stored = loadStored();
            if (stored.isPresent()) {
                lastMessageId = stored.get().lastMessageId();
                if (policy.takeover() && !deleteStale(stored.get().sessionId())) {
                    stale = stored.get().sessionId();
                }
            }
        }
        int attempt = 0;
        int conflicts = 0;
        Duration previous = Duration.ZERO;
        while (true) {
            checkStopping();
            try {
                session = retrier.call("create-session",
                        () -> client.createSession(settings.scaleSetId(), settings.owner(), policy.line() == Line.LEGACY));
                MDC.put("session", session.sessionId());
                emit("session-created", "sessionId", session.sessionId(), "afterLoss", afterLoss);
                persist();
                return;
            } catch (ApiException e) {
                if (e.isSessionConflict()) {
                    metrics.inc("arcsim_listener_session_conflicts_total", "409s met on session create.", settings.metricLabels(), 1);
                    emit("session-conflicted", "status", e.status(), "typeName", e.typeName());
                    conflicts++;
                    if (policy.onConflict() instanceof ListenerPolicy.OnConflict.ExitProcess) {
                        throw new Exit(1, "createSession failed: " + e.getMessage(), e);
                    }
                    if (policy.onConflict() instanceof ListenerPolicy.OnConflict.WaitAndRetry wait) {
                        if (conflicts >= wait.attempts()) {
                            throw new Exit(1, "createSession failed after " + conflicts + " conflicts: " + e.getMessage(), e);
                        }
                        pause("create-session", conflicts, wait.draw(random), e.getMessage());
                        continue;
                    }
                    if (stale != null && deleteStale(stale)) {
                        stale = null;
                        continue;   // the conflicting session is gone: create at once
                    }
                } else if (e.isScaleSetNotFound()) {
                    // Every policy exits: the service never gives an id back, so waiting cannot help; the controller
                    // makes the scale set again and starts a listener for the new id.
                    emit("scale-set-not-found", "scaleSetId", settings.scaleSetId());
                    throw new Exit(1, "createSession failed: " + e.getMessage(), e);
                } else if (policy.exitOnError()) {
                    throw new Exit(1, "createSession failed: " + e.getMessage(), e);
                }
                failing();
                previous = backoff(++attempt, previous, e.retryAfter().orElse(null), "create-session", e.getMessage());
            } catch (GaveUpException | MalformedResponseException e) {
                if (policy.exitOnError()) {
                    throw new Exit(1, "createSession failed: " + e.getMessage(), e);
                }
                failing();
                previous = backoff(++attempt, previous, null, "create-session", e.getMessage());
            }
        }
    }

    /** @return whether the stale session is gone: deleted now, or already forgotten by the server */
    private boolean deleteStale(String sessionId) throws InterruptedException {
        try {
            client.deleteSession(settings.scaleSetId(), sessionId);
            emit("session-taken-over", "staleSessionId", sessionId);
            return true;
        } catch (ApiException e) {
            if (e.status() == 400 || e.status() == 404) {
                // SessionExpired or not found: the server already forgot it, which is as good
                emit("session-takeover-skipped", "staleSessionId", sessionId, "status", e.status());
                return true;
            }
            emit("session-takeover-failed", "staleSessionId", sessionId, "status", e.status());
        } catch (IOException | MalformedResponseException e) {
            emit("session-takeover-failed", "staleSessionId", sessionId, "error", e.getMessage());
        }
        return false;
    }

    /**
     * On a graceful stop or an exit: delete the session, each attempt within the shutdown deadline (ARC legacy: 30 s),
     * retried as any other call is, at most {@link #DELETE_RETRIES} times. Both ARC lines do so: after a 20 s outage
     * their retried delete succeeds once the service is back and the next pod gets a session without a 409 (ARC 0.13
     * and HEAD against fake-github, reports/baseline/fidelity.md). A SIGKILL after the grace period ends the retries.
     */
    private void closeSession() {
        MessageSession s = session;
        if (s == null) {
            return;
        }
        try {
            retrier.call("delete-session", DELETE_RETRIES, () -> {
                client.deleteSession(settings.scaleSetId(), s.sessionId(), settings.shutdownTimeout());
                return null;
            });
            emit("session-deleted", "sessionId", s.sessionId());
            if (policy.persistState()) {
                store.clear();
            }
        } catch (ApiException | MalformedResponseException | GaveUpException | IOException e) {
            emit("session-delete-failed", "sessionId", s.sessionId(), "error", e.getMessage());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        session = null;
    }

    /** ARC's retry count (go-retryablehttp's RetryMax 4), for every policy: a delete at exit must end. */
    static final int DELETE_RETRIES = 4;

    /** A call with the message-queue token: on 401, refresh the session and try once more (both ARC lines do this). */
    private <T> T withSession(String operation, SessionCall<T> call)
            throws InterruptedException, ApiException, MalformedResponseException, GaveUpException, Exit {
        return withSession(operation, Integer.MAX_VALUE, call);
    }

    private <T> T withSession(String operation, int maxRetries, SessionCall<T> call)
            throws InterruptedException, ApiException, MalformedResponseException, GaveUpException, Exit {
        try {
            return retrier.call(operation, maxRetries, () -> call.run(session));
        } catch (ApiException e) {
            if (e.status() != 401) {
                throw e;
            }
            emit("token-expired", "operation", operation);
            refreshSession();
            return retrier.call(operation, maxRetries, () -> call.run(session));
        }
    }

    private void refreshSession() throws InterruptedException, MalformedResponseException, GaveUpException, Exit, ApiException {
        MessageSession s = session;
        try {
            session = retrier.call("refresh-session", () -> client.refreshSession(settings.scaleSetId(), s.sessionId()));
            emit("session-refreshed", "sessionId", session.sessionId());
        } catch (ApiException | MalformedResponseException e) {
            emit("session-refresh-failed", "error", e.getMessage());
            if (!policy.newSessionOnRefreshFailure()) {
                throw new Exit(1, "refresh message session failed: " + e.getMessage(), e);
            }
            session = null;
            notReady();
            openSession(true);
        }
    }

    // ------------------------------------------------------------------ loop

    private void loop() throws InterruptedException, Exit {
        int attempt = 0;
        Duration previous = Duration.ZERO;
        while (true) {
            checkStopping();
            if (settings.standby() != null && !tryLead()) {
                // Another replica leads now (this one stalled past its lease): step down without deleting the
                // session, which the new leader takes over, and stand by.
                emit("leadership-lost", "owner", settings.owner());
                leading = false;
                session = null;
                notReady();
                lead();
                openSession(true);
            }
            try {
                Optional<ScaleSetMessage> message = withSession("get-message",
                        s -> client.getMessage(s, lastMessageId, settings.maxRunners()));
                polled();
                attempt = 0;
                previous = Duration.ZERO;
                if (message.isEmpty()) {
                    onEmptyPoll();
                } else {
                    handle(message.get());
                }
            } catch (ApiException | MalformedResponseException | GaveUpException e) {
                if (policy.exitOnError()) {
                    throw new Exit(1, e.getMessage(), e);
                }
                failing();
                previous = backoff(++attempt, previous, e instanceof ApiException a ? a.retryAfter().orElse(null) : null,
                        "loop", e.getMessage());
                if (needsNewSession(e)) {
                    session = null;
                    openSession(true);
                }
            }
        }
    }

    /** The resilient listener starts over when its session is gone or it has failed for too long. */
    private boolean needsNewSession(Exception e) {
        boolean sessionGone = e instanceof ApiException a && (a.status() == 401 || a.status() == 404);
        boolean tooLong = failingSince != null && !policy.escalateAfter().isZero()
                && Duration.between(failingSince, scheduler.now()).compareTo(policy.escalateAfter()) >= 0;
        if (sessionGone || tooLong) {
            emit("session-abandoned", "reason", sessionGone ? "session gone: " + e.getMessage() : "failing for too long");
            return true;
        }
        return false;
    }

    private void onEmptyPoll() throws InterruptedException, Exit {
        if (policy.line() == Line.LEGACY) {
            scale(0, 0, false);
        } else {
            scale(lastStatistics == null ? 0 : lastStatistics.totalAssignedJobs(), 0, false);
        }
    }

    /** One message, in the order of the policy's line (PROTOCOL.md §4.4). */
    private void handle(ScaleSetMessage m)
            throws InterruptedException, ApiException, MalformedResponseException, GaveUpException, Exit {
        emit("message-received", "messageId", m.messageId(), "jobMessages", m.jobs().size(),
                "available", m.available().size(), "assigned", m.statistics().totalAssignedJobs());
        switch (policy.line()) {
            case LEGACY -> {
                onStatistics(m.statistics());
                acquire(m);
                m.completed().forEach(this::countCompleted);
                lastMessageId = m.messageId();
                ack(m);
                for (JobMessage.JobStarted s : m.started()) {
                    onStarted(s);
                }
                scale(m.statistics().totalAssignedJobs(), m.completed().size(), true);
            }
            case CURRENT -> {
                lastMessageId = m.messageId();
                onStatistics(m.statistics());
                ack(m);
                acquire(m);
                for (JobMessage.JobStarted s : m.started()) {
                    onStarted(s);
                }
                m.completed().forEach(this::countCompleted);
                scale(m.statistics().totalAssignedJobs(), 0, true);
            }
            case BROKEN_ACK_FIRST -> {
                lastMessageId = m.messageId();
                onStatistics(m.statistics());
                ack(m);
                try {
                    acquire(m, 0);
                } catch (GaveUpException | ApiException | MalformedResponseException e) {
                    emit("acquire-dropped", "messageId", m.messageId(), "error", e.getMessage());
                }
                for (JobMessage.JobStarted s : m.started()) {
                    onStarted(s);
                }
                m.completed().forEach(this::countCompleted);
                scale(m.statistics().totalAssignedJobs(), 0, true);
                persist();
            }
            case SAFE -> {
                onStatistics(m.statistics());
                acquire(m);
                for (JobMessage.JobStarted s : m.started()) {
                    onStarted(s);
                }
                m.completed().forEach(this::countCompleted);
                scale(m.statistics().totalAssignedJobs(), 0, true);
                ack(m);
                lastMessageId = m.messageId();
                persist();
            }
        }
    }

    private void acquire(ScaleSetMessage m)
            throws InterruptedException, ApiException, MalformedResponseException, GaveUpException, Exit {
        acquire(m, Integer.MAX_VALUE);   // as many as the policy allows
    }

    private void acquire(ScaleSetMessage m, int retries)
            throws InterruptedException, ApiException, MalformedResponseException, GaveUpException, Exit {
        List<Long> ids = m.available().stream().map(a -> a.job().runnerRequestId()).toList();
        if (ids.isEmpty()) {
            return;
        }
        List<Long> acquired = withSession("acquire-jobs", retries, s -> client.acquireJobs(s, settings.scaleSetId(), ids));
        emit("jobs-acquired", "messageId", m.messageId(), "requested", ids, "acquired", acquired);
    }

    /**
     * On the safe line the ack comes last and is best effort: after a few quick retries the listener polls on. The
     * jobs are acquired and the runners asked for already, so a message that comes again is acquired again to no
     * effect (acquisition is idempotent per offer), while a loop stuck retrying an ack would stop hearing new jobs.
     */
    static final int SAFE_ACK_RETRIES = 2;

    private void ack(ScaleSetMessage m)
            throws InterruptedException, ApiException, MalformedResponseException, GaveUpException, Exit {
        if (policy.line() == Line.SAFE) {
            try {
                withSession("ack-message", SAFE_ACK_RETRIES, s -> {
                    client.deleteMessage(s, m.messageId());
                    return null;
                });
            } catch (GaveUpException | ApiException | MalformedResponseException e) {
                emit("ack-skipped", "messageId", m.messageId(), "error", e.getMessage());
                return;
            }
            emit("message-acked", "messageId", m.messageId());
            return;
        }
        withSession("ack-message", s -> {
            client.deleteMessage(s, m.messageId());
            return null;
        });
        emit("message-acked", "messageId", m.messageId());
    }

    private void onStarted(JobMessage.JobStarted s) throws InterruptedException, GaveUpException, Exit {
        scaler.markDirty();
        JobMessage.Job j = s.job();
        RunnerSets.StartedJob started = new RunnerSets.StartedJob(j.runnerRequestId(), j.ownerName() + "/" + j.repositoryName(),
                j.jobId(), j.workflowRunId(), j.jobWorkflowRef(), j.jobDisplayName());
        boolean found;
        try {
            found = retrier.call("patch-runner-status", () -> runnerSets.patchRunnerJob(settings.namespace(), s.runnerName(), started));
        } catch (ApiException | MalformedResponseException e) {
            throw new IllegalStateException("the Kubernetes side raised a service error", e);
        }
        if (!found) {
            emit("runner-not-found", "runnerName", s.runnerName());  // ARC: "Ephemeral runner not found, skipping patching"
        }
        Map<String, String> labels = jobLabels(j);
        metrics.inc("gha_started_jobs_total", "Total number of jobs started.", labels, 1);
        if (j.runnerAssignTime() != null && j.scaleSetAssignTime() != null) {
            metrics.observe("gha_job_startup_duration_seconds", "Time from a job's assignment to its runner's start.", labels,
                    Math.max(0, Duration.between(j.scaleSetAssignTime(), j.runnerAssignTime()).toSeconds()));
        }
    }

    private void countCompleted(JobMessage.JobCompleted c) {
        scaler.markDirty();
        JobMessage.Job j = c.job();
        Map<String, String> labels = new LinkedHashMap<>(jobLabels(j));
        labels.put("job_result", c.result());
        metrics.inc("gha_completed_jobs_total", "Total number of jobs completed.", labels, 1);
        if (j.finishTime() != null && j.runnerAssignTime() != null) {
            metrics.observe("gha_job_execution_duration_seconds", "Time a job ran.", labels,
                    Math.max(0, Duration.between(j.runnerAssignTime(), j.finishTime()).toSeconds()));
        }
    }

    private Map<String, String> jobLabels(JobMessage.Job j) {
        Map<String, String> labels = new LinkedHashMap<>();
        labels.put("enterprise", settings.metricLabels().getOrDefault("enterprise", ""));
        labels.put("organization", j.ownerName());
        labels.put("repository", j.repositoryName());
        labels.put("job_name", j.jobDisplayName());
        labels.put("event_name", j.eventName());
        return labels;
    }

    private void scale(int assigned, int completed, boolean record) throws InterruptedException, Exit {
        Scaler.Patch patch = scaler.desired(assigned, completed);
        try {
            // ARC patches through client-go, which does not retry: a refused patch ends its process (the binaries
            // exited on the first 409 of kubernetes-api-faults). Other policies retry as for any call.
            retrier.call("patch-runner-set", policy.exitOnError() ? 0 : Integer.MAX_VALUE, () -> {
                runnerSets.patchReplicas(settings.namespace(), settings.runnerSetName(), patch.replicas(), patch.patchId());
                return null;
            });
        } catch (GaveUpException | ApiException | MalformedResponseException e) {
            throw new Exit(1, "could not patch the EphemeralRunnerSet: " + e.getMessage(), e);
        }
        emit("scaled", "replicas", patch.replicas(), "patchId", patch.patchId(), "assigned", assigned);
        if (record) {
            gauge("gha_desired_runners", "Number of runners desired by the listener.", patch.replicas());
        }
    }

    private void onStatistics(Statistics s) {
        lastStatistics = s;
        gauge("gha_assigned_jobs", "Number of jobs assigned to this scale set.", s.totalAssignedJobs());
        gauge("gha_running_jobs", "Number of jobs running (or about to run).", s.totalRunningJobs());
        gauge("gha_registered_runners", "Number of runners registered.", s.totalRegisteredRunners());
        gauge("gha_busy_runners", "Number of registered runners running a job.", s.totalBusyRunners());
        gauge("gha_idle_runners", "Number of registered runners not running a job.", s.totalIdleRunners());
    }

    // ------------------------------------------------------------------ leadership

    /** Waits, not ready, until this replica holds the leader lease; returns at once without standby replicas. */
    private void lead() throws InterruptedException {
        Standby standby = settings.standby();
        if (standby == null) {
            return;
        }
        boolean announced = false;
        while (!tryLead()) {
            if (!announced) {
                emit("standing-by", "owner", settings.owner());
                announced = true;
            }
            checkStopping();
            scheduler.sleep(standby.retryPeriod());
        }
        if (!leading) {
            leading = true;
            emit("leader-elected", "owner", settings.owner());
        }
    }

    private boolean tryLead() {
        Standby standby = settings.standby();
        try {
            return standby.lease().acquireOrRenew(settings.owner(), scheduler.now(), standby.leaseDuration());
        } catch (IOException e) {
            emit("leader-lease-failed", "error", e.getMessage());
            return false;
        }
    }

    private void releaseLeadership() {
        if (settings.standby() != null && leading) {
            try {
                settings.standby().lease().release(settings.owner());
            } catch (IOException e) {
                emit("leader-lease-failed", "error", e.getMessage());
            }
            leading = false;
        }
    }

    // ------------------------------------------------------------------ bookkeeping

    private void polled() {
        if (!ready) {
            ready = true;
            gauge("arcsim_listener_ready", "1 while the listener holds a live session and polls.", 1);
            emit("listener-ready");
        }
        if (failingSince != null) {
            double seconds = Duration.between(failingSince, scheduler.now()).toMillis() / 1000.0;
            metrics.inc("arcsim_listener_recoveries_total", "Recoveries from a failure to a successful poll.", settings.metricLabels(), 1);
            metrics.observe("arcsim_listener_recovery_seconds", "Time from the first failure to the next successful poll.",
                    settings.metricLabels(), seconds);
            emit("recovered", "seconds", seconds);
            failingSince = null;
        }
    }

    private void failing() {
        if (failingSince == null) {
            failingSince = scheduler.now();
        }
        notReady();
    }

    private void notReady() {
        if (ready) {
            ready = false;
            gauge("arcsim_listener_ready", "1 while the listener holds a live session and polls.", 0);
            emit("listener-not-ready");
        }
    }

    private Duration backoff(int attempt, Duration previous, Duration retryAfter, String operation, String reason)
            throws InterruptedException {
        return pause(operation, attempt, retrier.nextDelay(attempt, previous, retryAfter), reason);
    }

    /** Waits {@code delay} before trying {@code operation} again, and records the retry. */
    private Duration pause(String operation, int attempt, Duration delay, String reason) throws InterruptedException {
        retried("retry", Map.of("operation", operation, "attempt", attempt, "delayMs", delay.toMillis(), "reason", reason));
        scheduler.sleep(delay);
        return delay;
    }

    private void retried(String type, Map<String, Object> fields) {
        metrics.inc("arcsim_listener_retries_total", "Retries, by operation.",
                Map.of("operation", String.valueOf(fields.get("operation"))), 1);
        events.emit(type, fields);
    }

    private void persist() {
        if (!policy.persistState() || session == null) {
            return;
        }
        try {
            store.save(new SessionStore.Stored(session.sessionId(), lastMessageId, settings.owner()));
        } catch (IOException e) {
            emit("state-store-failed", "error", e.getMessage());
        }
    }

    private Optional<SessionStore.Stored> loadStored() {
        try {
            return store.load();
        } catch (IOException e) {
            emit("state-store-failed", "error", e.getMessage());
            return Optional.empty();
        }
    }

    private void checkStopping() throws InterruptedException {
        if (stopping || Thread.currentThread().isInterrupted()) {
            throw new InterruptedException("stopping");
        }
    }

    private void gauge(String name, String help, double value) {
        metrics.set(name, help, settings.metricLabels(), value);
    }

    private void emit(String type, Object... kv) {
        Map<String, Object> fields = new LinkedHashMap<>();
        for (int i = 0; i + 1 < kv.length; i += 2) {
            fields.put((String) kv[i], kv[i + 1]);
        }
        events.emit(type, fields);
    }
}
