package dev.arcsim.fake.state;

import dev.arcsim.fake.auth.Jwt;
import dev.arcsim.fake.random.RandomSource;
import dev.arcsim.fake.rules.Rules;
import dev.arcsim.fake.rules.SessionConflict;
import dev.arcsim.fake.state.Views.JitConfig;
import dev.arcsim.fake.state.Views.JobView;
import dev.arcsim.fake.state.Views.Label;
import dev.arcsim.fake.state.Views.RunnerGroupView;
import dev.arcsim.fake.state.Views.RunnerJob;
import dev.arcsim.fake.state.Views.RunnerState;
import dev.arcsim.fake.state.Views.RunnerView;
import dev.arcsim.fake.state.Views.ScaleSetView;
import dev.arcsim.fake.state.Views.SessionSummary;
import dev.arcsim.fake.state.Views.SessionView;
import dev.arcsim.fake.state.Views.Snapshot;
import dev.arcsim.fake.state.Views.TenantView;
import dev.arcsim.fake.time.Scheduler;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.Deque;
import java.util.EnumMap;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import java.util.TreeMap;
import java.util.UUID;

/**
 * The fake Actions service's state and rules, with no HTTP in it.
 *
 * <p>Every operation runs under this object's lock and first lets time-driven changes happen (orphaned sessions
 * expire, unstarted assigned jobs are re-offered). The two long polls (a listener's message poll and a runner's wait
 * for a job) park outside the lock through the {@link Scheduler}, so the same model runs over HTTP in wall-clock time
 * and in-process in virtual time.
 */
public final class ServiceState {

    /** Runner group 1, {@code Default}, exists from the start: ARC uses id 1 when no group is named. */
    public static final int DEFAULT_RUNNER_GROUP_ID = 1;
    private static final String DEFAULT_RUNNER_GROUP = "Default";
    /**
     * Completed jobs kept for reading back (the admin API's state, a test's snapshot); older ones are retired with
     * their counts kept, so a fake that serves for a week does not hold every job it ever ran.
     */
    public static final int RETAINED_COMPLETED_JOBS = 10_000;

    private final Scheduler scheduler;
    private final RandomSource random;
    private final Jwt jwt;
    private final Scheduler.ChangeSignal changes;
    private Rules rules;

    private final Map<String, Tenant> tenantsByKey = new LinkedHashMap<>();
    private final Map<Integer, Tenant> tenantsById = new LinkedHashMap<>();
    private final Map<Integer, RunnerGroupView> runnerGroups = new LinkedHashMap<>();
    private final Map<Long, ScaleSet> scaleSets = new LinkedHashMap<>();
    private final Map<UUID, Session> sessions = new LinkedHashMap<>();
    private final Map<String, Session> sessionsByToken = new LinkedHashMap<>();
    private final Map<Long, Job> jobs = new LinkedHashMap<>();
    private final Map<Long, Runner> runners = new LinkedHashMap<>();
    private final Map<String, Runner> runnersByToken = new LinkedHashMap<>();
    private final Set<Job> waitingForRunner = new LinkedHashSet<>();
    private final ArrayDeque<Long> completedInOrder = new ArrayDeque<>();
    private final int retainedCompletedJobs;
    private long jobsRetired;
    private long nextScaleSetId = 1;
    private long nextRunnerRequestId = 1001;
    private long nextRunnerId = 1;
    private long nextWorkflowRunId = 5001;
    private long runnersFinished;
    private final EnumMap<JobState, Integer> jobsByState = new EnumMap<>(JobState.class);
    private boolean closed;
    private int pollsInFlight;
    private StateObserver observer = StateObserver.NONE;

    public ServiceState(Scheduler scheduler, RandomSource random, Jwt jwt, Rules rules) {
        this(scheduler, random, jwt, rules, RETAINED_COMPLETED_JOBS);
    }

    /** @param retainedCompletedJobs how many completed jobs stay readable before the oldest are retired */
    public ServiceState(Scheduler scheduler, RandomSource random, Jwt jwt, Rules rules, int retainedCompletedJobs) {
        if (retainedCompletedJobs < 0) {
            throw new IllegalArgumentException("retainedCompletedJobs must be 0 or more, got " + retainedCompletedJobs);
        }
        this.retainedCompletedJobs = retainedCompletedJobs;
        this.scheduler = scheduler;
        this.random = random;
        this.jwt = jwt;
        this.rules = rules;
        this.changes = scheduler.newSignal();
        runnerGroups.put(DEFAULT_RUNNER_GROUP_ID, new RunnerGroupView(DEFAULT_RUNNER_GROUP_ID, DEFAULT_RUNNER_GROUP, true, 0));
    }

    /** Reports every state change from now on to {@code observer} (one at a time; the last one set wins). */
    public synchronized void observe(StateObserver next) {
        this.observer = next == null ? StateObserver.NONE : next;
    }

    private void emit(String type, Object... kv) {
        Map<String, Object> fields = new LinkedHashMap<>();
        for (int i = 0; i + 1 < kv.length; i += 2) {
            fields.put((String) kv[i], kv[i + 1]);
        }
        observer.on(scheduler.now(), type, fields);
    }

    /**
     * Ends every parked long poll (they answer 503) and refuses new ones, so a server can stop without waiting
     * out a poll window.
     */
    public void close() {
        synchronized (this) {
            closed = true;
        }
        changes.signalAll();
    }

    private void failIfClosed() {
        if (closed) {
            throw ServiceError.actions(503, "ServiceUnavailableException", "The service is shutting down.");
        }
    }

    // ---------------------------------------------------------------- rules

    public synchronized Rules rules() {
        return rules;
    }

    /**
     * Puts new rules in force. Turning {@code scaleSetDeleted} on deletes every scale set that exists now, as the
     * service's own cleanup would; jobs they held wait for a scale set of the same name.
     */
    public void applyRules(Rules next) {
        synchronized (this) {
            boolean deleteNow = next.scaleSetDeleted() && !rules.scaleSetDeleted();
            rules = next;
            if (deleteNow) {
                for (Long id : List.copyOf(scaleSets.keySet())) {
                    removeScaleSet(scaleSets.get(id));
                }
            }
        }
        changes.signalAll();
    }

    // ---------------------------------------------------------------- tenants and runner groups

    /** The tenant a config URL path names ({@code org}, {@code owner/repo} or {@code enterprises/name}), made on first use. */
    public synchronized Tenant tenantFor(String kind, String key, String ownerName, String repositoryName) {
        return tenantsByKey.computeIfAbsent(kind + ":" + key, k -> {
            Tenant t = new Tenant(tenantsById.size() + 1, kind, key, ownerName, repositoryName);
            tenantsById.put(t.id(), t);
            return t;
        });
    }

    public synchronized Optional<Tenant> tenant(int id) {
        return Optional.ofNullable(tenantsById.get(id));
    }

    public synchronized List<RunnerGroupView> runnerGroupsNamed(String name) {
        return runnerGroups.values().stream().filter(g -> g.name().equalsIgnoreCase(name)).toList();
    }

    /** Adds a runner group (from the fake's start configuration). */
    public synchronized RunnerGroupView addRunnerGroup(String name) {
        int id = runnerGroups.keySet().stream().mapToInt(Integer::intValue).max().orElse(0) + 1;
        RunnerGroupView group = new RunnerGroupView(id, name, false, 0);
        runnerGroups.put(id, group);
        return group;
    }

    // ---------------------------------------------------------------- scale sets

    public synchronized List<ScaleSetView> findScaleSets(Tenant tenant, Integer runnerGroupId, String name) {
        advance();
        return scaleSets.values().stream()
                .filter(s -> s.tenantId == tenant.id())
                .filter(s -> runnerGroupId == null || s.runnerGroupId == runnerGroupId)
                .filter(s -> name == null || s.name.equalsIgnoreCase(name))
                .map(this::view).toList();
    }

    public synchronized ScaleSetView scaleSet(Tenant tenant, long id) {
        advance();
        return view(scaleSetOf(tenant, id));
    }

    /** Creates a scale set; jobs queued for its name are offered to it at once. */
    public ScaleSetView createScaleSet(Tenant tenant, String name, Integer runnerGroupId, List<Label> labels,
                                       Map<String, Object> runnerSetting) {
        ScaleSetView created;
        synchronized (this) {
            advance();
            if (name == null || name.isBlank()) {
                throw ServiceError.badRequest("A runner scale set needs a name.");
            }
            int groupId = runnerGroupId == null || runnerGroupId == 0 ? DEFAULT_RUNNER_GROUP_ID : runnerGroupId;
            RunnerGroupView group = runnerGroups.get(groupId);
            if (group == null) {
                throw ServiceError.actions(404, "RunnerGroupNotFoundException", "Runner group " + groupId + " does not exist.");
            }
            boolean taken = scaleSets.values().stream()
                    .anyMatch(s -> s.tenantId == tenant.id() && s.name.equalsIgnoreCase(name));
            if (taken) {
                throw ServiceError.actions(409, "RunnerScaleSetExistsException",
                        "A runner scale set named " + name + " already exists.");
            }
            ScaleSet set = new ScaleSet(nextScaleSetId++, tenant.id(), name, group.id(), group.name(),
                    labels == null || labels.isEmpty() ? List.of(new Label("System", name)) : List.copyOf(labels),
                    runnerSetting == null ? Map.of() : Map.copyOf(runnerSetting), scheduler.now());
            scaleSets.put(set.id, set);
            emit("scale-set-created", "scaleSet", set.id, "name", set.name);
            for (Job job : jobs.values()) {
                if (job.scaleSetId == null && job.state == JobState.AVAILABLE && job.matches(set, tenant)) {
                    bind(job, set);
                }
            }
            created = view(set);
        }
        changes.signalAll();
        return created;
    }

    public ScaleSetView updateScaleSet(Tenant tenant, long id, String name, Integer runnerGroupId, List<Label> labels,
                                       Map<String, Object> runnerSetting) {
        ScaleSetView updated;
        synchronized (this) {
            advance();
            ScaleSet set = scaleSetOf(tenant, id);
            if (runnerGroupId != null && runnerGroupId != 0) {
                RunnerGroupView group = runnerGroups.get(runnerGroupId);
                if (group == null) {
                    throw ServiceError.actions(404, "RunnerGroupNotFoundException",
                            "Runner group " + runnerGroupId + " does not exist.");
                }
                set.runnerGroupId = group.id();
                set.runnerGroupName = group.name();
            }
            if (name != null && !name.isBlank()) {
                set.name = name;
            }
            if (labels != null && !labels.isEmpty()) {
                set.labels = List.copyOf(labels);
            }
            if (runnerSetting != null && !runnerSetting.isEmpty()) {
                set.runnerSetting = Map.copyOf(runnerSetting);
            }
            updated = view(set);
        }
        changes.signalAll();
        return updated;
    }

    public void deleteScaleSet(Tenant tenant, long id) {
        synchronized (this) {
            advance();
            removeScaleSet(scaleSetOf(tenant, id));
        }
        changes.signalAll();
    }

    // ---------------------------------------------------------------- sessions

    /** Creates a message session, subject to the session-conflict rule. */
    public SessionView createSession(Tenant tenant, long scaleSetId, String ownerName) {
        SessionView created;
        synchronized (this) {
            advance();
            ScaleSet set = scaleSetOf(tenant, scaleSetId);
            List<Session> existing = sessions.values().stream().filter(s -> s.scaleSetId == set.id).toList();
            SessionConflict policy = rules.sessionConflict();
            if (policy == SessionConflict.REJECT_ALL || (policy == SessionConflict.STRICT && !existing.isEmpty())) {
                emit("session-conflicted", "scaleSet", set.id, "owner", ownerName, "rule", policy.wireName());
                throw ServiceError.actions(409, "RunnerScaleSetSessionConflictException",
                        "The actions runner scaleset " + set.name + " already has an active session.");
            }
            existing.forEach(old -> dropSession(old, "replaced"));
            Instant now = scheduler.now();
            Session session = new Session(random.uuid(), set.id, ownerName == null ? "" : ownerName, now);
            issueQueueToken(session, now);
            sessions.put(session.id, session);
            emit("session-created", "session", session.id.toString(), "scaleSet", set.id, "owner", session.ownerName);
            created = sessionView(session);
        }
        changes.signalAll();
        return created;
    }

    /** Gives the session a new message-queue token; the answer replaces the whole session on the client. */
    public SessionView refreshSession(Tenant tenant, long scaleSetId, UUID sessionId) {
        SessionView refreshed;
        synchronized (this) {
            advance();
            scaleSetOf(tenant, scaleSetId);
            Session session = sessions.get(sessionId);
            if (session == null || session.scaleSetId != scaleSetId) {
                throw sessionNotInRedis();
            }
            if (rules.evictSessionOnRefresh()) {
                dropSession(session, "evicted-on-refresh");
                changes.signalAll();
                throw sessionNotInRedis();
            }
            Instant now = scheduler.now();
            issueQueueToken(session, now);
            session.lastSeen = now;
            refreshed = sessionView(session);
        }
        return refreshed;
    }

    public void deleteSession(Tenant tenant, long scaleSetId, UUID sessionId) {
        synchronized (this) {
            advance();
            scaleSetOf(tenant, scaleSetId);
            Session session = sessions.get(sessionId);
            if (session == null || session.scaleSetId != scaleSetId) {
                throw ServiceError.actions(400, "RunnerScaleSetSessionExpiredException",
                        "The session identifier " + sessionId + " is not valid.");
            }
            dropSession(session, "deleted");
        }
        changes.signalAll();
    }

    /**
     * What a restart of the service loses: every session and message-queue token ("session-ended" with the given
     * reason). Scale sets, jobs and runners are durable and stay; parked polls of the lost sessions end.
     */
    public void forgetSessions(String reason) {
        synchronized (this) {
            List.copyOf(sessions.values()).forEach(s -> dropSession(s, reason));
        }
        changes.signalAll();
    }

    private static ServiceError sessionNotInRedis() {
        // Wording from the refresh failure seen in production (scaleset PR #123, PROTOCOL.md §1.4).
        return ServiceError.actions(404, "RunnerAdminException",
                "runner referenced a session ID that doesn't exist in redis");
    }

    // ---------------------------------------------------------------- message queue

    /**
     * The long poll: the first un-acked message after {@code lastMessageId}, packing pending job messages into a new
     * message when there is none, or empty when nothing arrives within the long-poll window.
     */
    public Optional<QueueMessage> poll(String queueToken, long scaleSetId, long lastMessageId, Integer maxCapacity)
            throws InterruptedException {
        Session session;
        Instant deadline;
        synchronized (this) {
            advance();
            session = authenticateQueue(queueToken, scaleSetId);
            Instant now = scheduler.now();
            session.pollsInFlight++;
            pollsInFlight++;
            session.lastSeen = now;
            session.maxCapacity = maxCapacity;
            deadline = now.plus(rules.longPoll());
        }
        try {
            while (true) {
                long seen = changes.version();
                Instant wakeAt;
                synchronized (this) {
                    failIfClosed();
                    advance();
                    if (sessions.get(session.id) != session) {
                        throw ServiceError.queueUnauthorized("The message session has ended.");
                    }
                    ScaleSet set = scaleSets.get(scaleSetId);
                    QueueMessage message = set.nextDeliverable(lastMessageId, rules.maxJobMessagesPerMessage());
                    if (message != null) {
                        return Optional.of(new QueueMessage(message.messageId(), message.jobMessages(), set.statistics()));
                    }
                    Instant now = scheduler.now();
                    if (!now.isBefore(deadline)) {
                        return Optional.empty();
                    }
                    wakeAt = nextDue().filter(due -> due.isBefore(deadline)).orElse(deadline);
                }
                changes.awaitChange(seen, wakeAt);
            }
        } finally {
            synchronized (this) {
                session.pollsInFlight--;
                pollsInFlight--;
                session.lastSeen = scheduler.now();
            }
        }
    }

    /** The ack: deletes a delivered message. Deleting one that is already gone is not an error. */
    public synchronized void ack(String queueToken, long scaleSetId, long messageId) {
        advance();
        Session session = authenticateQueue(queueToken, scaleSetId);
        session.lastSeen = scheduler.now();
        scaleSets.get(scaleSetId).unacked.remove(messageId);
    }

    /**
     * Acquires the given available jobs for the session's scale set. A job can be acquired once: ids already
     * acquired, unknown, or offered to another scale set are left out of the answer.
     */
    public List<Long> acquire(String queueToken, long scaleSetId, List<Long> runnerRequestIds) {
        List<Long> acquired = new ArrayList<>();
        synchronized (this) {
            advance();
            Session session = authenticateQueue(queueToken, scaleSetId);
            Instant now = scheduler.now();
            session.lastSeen = now;
            ScaleSet set = scaleSets.get(scaleSetId);
            for (Long id : runnerRequestIds) {
                Job job = id == null ? null : jobs.get(id);
                if (job == null || job.state != JobState.AVAILABLE || !Objects.equals(job.scaleSetId, scaleSetId)) {
                    continue;
                }
                transition(job, JobState.ACQUIRED);
                job.acquiredBySession = session.id;
                acquired.add(id);
                emit("job-acquired", "job", id, "session", session.id.toString(), "offer", job.offers);
                // The service assigns an acquired job to the scale set straight away.
                transition(job, JobState.ASSIGNED);
                job.scaleSetAssignTime = now;
                job.assignedAt = now;
                waitingForRunner.add(job);
                set.enqueue(job.message(JobMessage.JOB_ASSIGNED));
                emit("job-assigned", "job", id, "scaleSet", scaleSetId);
            }
        }
        changes.signalAll();
        return acquired;
    }

    /** The jobs the scale set could acquire now, as JobAvailable messages (legacy GetAcquirableJobs). */
    public synchronized List<JobMessage> acquirableJobs(Tenant tenant, long scaleSetId) {
        advance();
        ScaleSet set = scaleSetOf(tenant, scaleSetId);
        return jobs.values().stream()
                .filter(j -> j.state == JobState.AVAILABLE && Objects.equals(j.scaleSetId, set.id))
                .map(j -> j.message(JobMessage.JOB_AVAILABLE)).toList();
    }

    // ---------------------------------------------------------------- runners (agents)

    /** Registers an ephemeral runner by name; a taken name answers 409 AgentExistsException. */
    public JitConfig generateJitConfig(Tenant tenant, long scaleSetId, String name) {
        synchronized (this) {
            advance();
            ScaleSet set = scaleSetOf(tenant, scaleSetId);
            if (name == null || name.isBlank()) {
                throw ServiceError.badRequest("A runner needs a name.");
            }
            boolean taken = runners.values().stream()
                    .anyMatch(r -> r.tenantId == tenant.id() && r.name.equalsIgnoreCase(name));
            if (taken) {
                throw ServiceError.actions(409, "AgentExistsException",
                        "An agent with the name " + name + " already exists in the pool.");
            }
            Runner runner = new Runner(nextRunnerId++, name, set.id, tenant.id(), random.string(TOKEN_ALPHABET, 40));
            runners.put(runner.id, runner);
            runnersByToken.put(runner.token, runner);
            emit("runner-registered", "runner", runner.id, "name", name, "scaleSet", set.id);
            return new JitConfig(runner.view(), runner.token);
        }
    }

    public synchronized Optional<RunnerView> runner(Tenant tenant, long runnerId) {
        advance();
        return Optional.ofNullable(runners.get(runnerId)).filter(r -> r.tenantId == tenant.id()).map(Runner::view);
    }

    public synchronized List<RunnerView> runnersNamed(Tenant tenant, String name) {
        advance();
        return runners.values().stream()
                .filter(r -> r.tenantId == tenant.id() && r.name.equalsIgnoreCase(name))
                .map(Runner::view).toList();
    }

    /** Deregisters a runner: 400 JobStillRunningException while it runs a job; absent runners are fine (204). */
    public void removeRunner(Tenant tenant, long runnerId) {
        synchronized (this) {
            advance();
            Runner runner = runners.get(runnerId);
            if (runner == null || runner.tenantId != tenant.id()) {
                return;
            }
            if (runner.state == RunnerState.BUSY) {
                throw ServiceError.actions(400, "JobStillRunningException",
                        "The runner " + runner.name + " is still running job " + runner.jobRequestId + ".");
            }
            forgetRunner(runner);
        }
        changes.signalAll();
    }

    /** A runner process comes online with the token of its JIT config. */
    public RunnerView runnerConnect(String runnerToken) {
        RunnerView view;
        synchronized (this) {
            advance();
            Runner runner = runnerFor(runnerToken);
            if (runner.state == RunnerState.CONFIGURED) {
                runner.state = RunnerState.IDLE;
            }
            view = runner.view();
        }
        changes.signalAll();
        return view;
    }

    /**
     * A connected runner waits (up to the long-poll window) for a job assigned to its scale set, and starts it.
     * Empty when none came.
     */
    public Optional<RunnerJob> runnerTakeJob(String runnerToken) throws InterruptedException {
        Instant deadline;
        synchronized (this) {
            advance();
            Runner runner = runnerFor(runnerToken);
            if (runner.state == RunnerState.CONFIGURED) {
                throw ServiceError.badRequest("The runner " + runner.name + " has not connected.");
            }
            deadline = scheduler.now().plus(rules.longPoll());
        }
        while (true) {
            long seen = changes.version();
            Instant wakeAt;
            synchronized (this) {
                failIfClosed();
                advance();
                Runner runner = runnerFor(runnerToken);
                if (runner.state == RunnerState.BUSY) {
                    Job current = jobs.get(runner.jobRequestId);
                    return Optional.of(current.runnerJob());
                }
                Optional<Job> next = waitingForRunner.stream()
                        .filter(j -> Objects.equals(j.scaleSetId, runner.scaleSetId)).findFirst();
                if (next.isPresent()) {
                    Job job = next.get();
                    startJob(job, runner);
                    changes.signalAll();
                    return Optional.of(job.runnerJob());
                }
                Instant now = scheduler.now();
                if (!now.isBefore(deadline)) {
                    return Optional.empty();
                }
                wakeAt = nextDue().filter(due -> due.isBefore(deadline)).orElse(deadline);
            }
            changes.awaitChange(seen, wakeAt);
        }
    }

    /** The runner reports its job done; an ephemeral runner then leaves the service. */
    public void runnerComplete(String runnerToken, long runnerRequestId, String result) {
        synchronized (this) {
            advance();
            Runner runner = runnerFor(runnerToken);
            Job job = jobs.get(runnerRequestId);
            if (job == null || job.state != JobState.STARTED || !Objects.equals(job.runnerId, runner.id)) {
                throw ServiceError.badRequest("The runner " + runner.name + " is not running job " + runnerRequestId + ".");
            }
            job.result = result == null || result.isBlank() ? "succeeded" : result;
            job.finishTime = scheduler.now();
            transition(job, JobState.COMPLETED);
            emit("job-completed", "job", runnerRequestId, "result", job.result, "runner", runner.id);
            retireBeyondBound(job);
            ScaleSet set = job.scaleSetId == null ? null : scaleSets.get(job.scaleSetId);
            if (set != null) {
                set.enqueue(job.message(JobMessage.JOB_COMPLETED));
            }
            forgetRunner(runner);
            runnersFinished++;
        }
        changes.signalAll();
    }

    // ---------------------------------------------------------------- workload (admin)

    /** What the admin API asks for when it queues jobs. */
    public record JobRequest(String scaleSetName, String ownerName, String repositoryName, String workflowFile,
                             String displayName, String eventName, long durationSeconds) {
    }

    /** Queues a job; it is offered to the scale set of that name at once, or when one is created. */
    public List<Long> enqueueJobs(JobRequest request, int count) {
        List<Long> ids = new ArrayList<>();
        synchronized (this) {
            advance();
            Instant now = scheduler.now();
            for (int i = 0; i < count; i++) {
                Job job = new Job(nextRunnerRequestId++, random.uuid().toString(), request, nextWorkflowRunId++, now);
                jobs.put(job.runnerRequestId, job);
                countIn(job, +1);
                ids.add(job.runnerRequestId);
                emit("job-queued", "job", job.runnerRequestId, "scaleSetName", request.scaleSetName(),
                        "durationSeconds", request.durationSeconds());
                scaleSets.values().stream()
                        .filter(s -> job.matches(s, tenantsById.get(s.tenantId)))
                        .min(Comparator.comparingLong(s -> s.id))
                        .ifPresent(s -> bind(job, s));
            }
        }
        changes.signalAll();
        return ids;
    }

    /**
     * Keeps at most {@link #retainedCompletedJobs} completed jobs. A retired job is answered as unknown, which is what a
     * completed one is to every call that names a job (acquire, complete); the per-state counters keep it.
     */
    private void retireBeyondBound(Job completed) {
        completedInOrder.addLast(completed.runnerRequestId);
        while (completedInOrder.size() > retainedCompletedJobs) {
            if (jobs.remove(completedInOrder.removeFirst()) != null) {
                jobsRetired++;
            }
        }
    }

    // ---------------------------------------------------------------- observation

    public synchronized Snapshot snapshot() {
        advance();
        Map<String, Integer> byState = new LinkedHashMap<>();
        for (JobState s : JobState.values()) {
            byState.put(s.wireName(), 0);
        }
        jobs.values().forEach(j -> byState.merge(j.state.wireName(), 1, Integer::sum));
        byState.merge(JobState.COMPLETED.wireName(), Math.toIntExact(jobsRetired), Integer::sum);
        return new Snapshot(scheduler.now(),
                tenantsById.values().stream().map(t -> new TenantView(t.id(), t.kind(), t.key())).toList(),
                scaleSets.values().stream().map(this::view).toList(),
                sessions.values().stream().map(Session::summary).toList(),
                runners.values().stream().map(Runner::view).toList(),
                jobs.values().stream().map(Job::view).toList(),
                byState, runnersFinished, jobsRetired);
    }

    /**
     * The few counts a driver reads often: unlike {@link #snapshot()}, nothing is copied. {@code pollsInFlight}: long
     * polls being answered or parked now.
     */
    public record Counts(int scaleSets, int sessions, int runners, Map<JobState, Integer> jobs, int pollsInFlight) {
        public int jobs(JobState state) {
            return jobs.getOrDefault(state, 0);
        }
    }

    public synchronized Counts counts() {
        advance();
        return new Counts(scaleSets.size(), sessions.size(), runners.size(), new EnumMap<>(jobsByState), pollsInFlight);
    }

    /** Jobs held now (any state), and completed jobs retired since the start. */
    public record JobsHeld(int held, long retired) {
    }

    public synchronized JobsHeld jobsHeld() {
        return new JobsHeld(jobs.size(), jobsRetired);
    }

    public synchronized Optional<JobView> job(long runnerRequestId) {
        return Optional.ofNullable(jobs.get(runnerRequestId)).map(Job::view);
    }

    /** Statistics recounted from the jobs and runners, for checking the counters the service keeps as it goes. */
    public synchronized Statistics recountStatistics(long scaleSetId) {
        ScaleSet set = scaleSets.get(scaleSetId);
        if (set == null) {
            return Statistics.EMPTY;
        }
        EnumMap<JobState, Integer> counts = new EnumMap<>(JobState.class);
        for (Job j : jobs.values()) {
            if (Objects.equals(j.scaleSetId, scaleSetId)) {
                counts.merge(j.state, 1, Integer::sum);
            }
        }
        return set.statisticsFrom(counts);
    }

    // ---------------------------------------------------------------- time-driven changes

    /** Lets due changes happen: orphaned sessions expire, unstarted assigned jobs are canceled and re-offered. */
    private void advance() {
        Instant now = scheduler.now();
        Duration ttl = rules.orphanSessionTtl();
        for (Session s : List.copyOf(sessions.values())) {
            if (s.pollsInFlight == 0 && !now.isBefore(s.lastSeen.plus(ttl))) {
                dropSession(s, "expired");
            }
        }
        if (rules.jobReassignments() > 0) {
            for (Job job : List.copyOf(waitingForRunner)) {
                if (job.reassignments < rules.jobReassignments() && !now.isBefore(job.assignedAt.plus(rules.jobReassignAfter()))) {
                    reoffer(job, now);
                }
            }
        }
    }

    /** The next moment {@link #advance()} would change something, so a parked poll can wake for it. */
    private Optional<Instant> nextDue() {
        Instant due = null;
        for (Session s : sessions.values()) {
            if (s.pollsInFlight == 0) {
                due = earliest(due, s.lastSeen.plus(rules.orphanSessionTtl()));
            }
        }
        if (rules.jobReassignments() > 0) {
            for (Job job : waitingForRunner) {
                if (job.reassignments < rules.jobReassignments()) {
                    due = earliest(due, job.assignedAt.plus(rules.jobReassignAfter()));
                }
            }
        }
        return Optional.ofNullable(due);
    }

    private static Instant earliest(Instant a, Instant b) {
        return a == null || b.isBefore(a) ? b : a;
    }

    private void reoffer(Job job, Instant now) {
        ScaleSet set = scaleSets.get(job.scaleSetId);
        emit("job-canceled", "job", job.runnerRequestId, "reassignment", job.reassignments + 1);
        job.result = "canceled";
        job.finishTime = now;
        set.enqueue(job.message(JobMessage.JOB_COMPLETED));
        job.reassignments++;
        job.offers++;
        job.result = null;
        job.finishTime = null;
        job.scaleSetAssignTime = null;
        job.acquiredBySession = null;
        waitingForRunner.remove(job);
        transition(job, JobState.AVAILABLE);
        set.enqueue(job.message(JobMessage.JOB_AVAILABLE));
    }

    // ---------------------------------------------------------------- internals

    private static final String TOKEN_ALPHABET = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789";

    private ScaleSet scaleSetOf(Tenant tenant, long id) {
        ScaleSet set = scaleSets.get(id);
        if (set == null || set.tenantId != tenant.id()) {
            throw ServiceError.notFoundScaleSet(id);
        }
        return set;
    }

    private Session authenticateQueue(String token, long scaleSetId) {
        Session session = token == null ? null : sessionsByToken.get(token);
        if (session == null || session.token == null || !session.token.equals(token)) {
            throw ServiceError.queueUnauthorized("The message queue access token is not valid.");
        }
        if (!scheduler.now().isBefore(session.tokenExpiresAt)) {
            throw ServiceError.queueUnauthorized("The message queue access token has expired.");
        }
        if (session.scaleSetId != scaleSetId) {
            throw ServiceError.queueUnauthorized("The message queue access token is for another runner scale set.");
        }
        if (!scaleSets.containsKey(scaleSetId)) {
            throw ServiceError.notFoundScaleSet(scaleSetId);
        }
        return session;
    }

    private Runner runnerFor(String token) {
        Runner runner = token == null ? null : runnersByToken.get(token);
        if (runner == null) {
            throw ServiceError.actions(401, "VssUnauthorizedException", "The runner credentials are not valid.");
        }
        return runner;
    }

    private void issueQueueToken(Session session, Instant now) {
        if (session.token != null) {
            sessionsByToken.remove(session.token);
        }
        Instant expires = now.plus(rules.messageQueueTokenTtl());
        session.token = jwt.mint("session:" + session.id, now, expires, Map.of("scaleSetId", session.scaleSetId));
        session.tokenExpiresAt = expires;
        sessionsByToken.put(session.token, session);
    }

    private void dropSession(Session session, String reason) {
        emit("session-ended", "session", session.id.toString(), "scaleSet", session.scaleSetId, "reason", reason);
        sessions.remove(session.id);
        if (session.token != null) {
            sessionsByToken.remove(session.token);
        }
    }

    private void removeScaleSet(ScaleSet set) {
        scaleSets.remove(set.id);
        sessions.values().stream().filter(s -> s.scaleSetId == set.id).toList().forEach(s -> dropSession(s, "scale-set-deleted"));
        emit("scale-set-deleted", "scaleSet", set.id, "name", set.name);
        for (Job job : jobs.values()) {
            if (Objects.equals(job.scaleSetId, set.id)
                    && (job.state == JobState.AVAILABLE || job.state == JobState.ACQUIRED || job.state == JobState.ASSIGNED)) {
                waitingForRunner.remove(job);
                countIn(job, -1);
                job.scaleSetId = null;
                job.state = JobState.AVAILABLE;
                job.scaleSetAssignTime = null;
                job.acquiredBySession = null;
                // offered anew when a scale set of the name comes back: acquiring it then is not a second acquisition
                // of the offer the deleted set had
                job.offers++;
                countIn(job, +1);
            }
        }
    }

    private void bind(Job job, ScaleSet set) {
        countIn(job, -1);
        job.scaleSetId = set.id;
        job.resolveNames(tenantsById.get(set.tenantId));
        emit("job-offered", "job", job.runnerRequestId, "scaleSet", set.id);
        countIn(job, +1);
        set.enqueue(job.message(JobMessage.JOB_AVAILABLE));
    }

    private void startJob(Job job, Runner runner) {
        Instant now = scheduler.now();
        waitingForRunner.remove(job);
        job.runnerId = runner.id;
        job.runnerName = runner.name;
        job.runnerAssignTime = now;
        job.starts++;
        transition(job, JobState.STARTED);
        emit("job-started", "job", job.runnerRequestId, "runner", runner.id, "runnerName", runner.name);
        runner.state = RunnerState.BUSY;
        runner.jobRequestId = job.runnerRequestId;
        scaleSets.get(job.scaleSetId).enqueue(job.message(JobMessage.JOB_STARTED));
    }

    private void forgetRunner(Runner runner) {
        emit("runner-removed", "runner", runner.id, "name", runner.name);
        runners.remove(runner.id);
        runnersByToken.remove(runner.token);
    }

    private void transition(Job job, JobState next) {
        countIn(job, -1);
        job.state = next;
        countIn(job, +1);
    }

    /** Keeps the job counters: the service's, and the per-scale-set ones that statistics are read from. */
    private void countIn(Job job, int delta) {
        jobsByState.merge(job.state, delta, Integer::sum);
        ScaleSet set = job.scaleSetId == null ? null : scaleSets.get(job.scaleSetId);
        if (set != null) {
            set.jobCounts.merge(job.state, delta, Integer::sum);
        }
    }

    private ScaleSetView view(ScaleSet s) {
        return new ScaleSetView(s.id, s.tenantId, s.name, s.runnerGroupId, s.runnerGroupName, s.labels,
                s.runnerSetting, s.createdOn, s.statistics());
    }

    private SessionView sessionView(Session s) {
        ScaleSet set = scaleSets.get(s.scaleSetId);
        return new SessionView(s.id.toString(), s.ownerName, view(set), s.token, s.tokenExpiresAt, s.createdAt,
                s.lastSeen, s.pollsInFlight, s.maxCapacity, set.statistics());
    }

    private final class ScaleSet {
        final long id;
        final int tenantId;
        String name;
        int runnerGroupId;
        String runnerGroupName;
        List<Label> labels;
        Map<String, Object> runnerSetting;
        final Instant createdOn;
        final EnumMap<JobState, Integer> jobCounts = new EnumMap<>(JobState.class);
        final Deque<JobMessage> pending = new ArrayDeque<>();
        final TreeMap<Long, List<JobMessage>> unacked = new TreeMap<>();
        long lastMessageId;

        ScaleSet(long id, int tenantId, String name, int runnerGroupId, String runnerGroupName, List<Label> labels,
                 Map<String, Object> runnerSetting, Instant createdOn) {
            this.id = id;
            this.tenantId = tenantId;
            this.name = name;
            this.runnerGroupId = runnerGroupId;
            this.runnerGroupName = runnerGroupName;
            this.labels = labels;
            this.runnerSetting = runnerSetting;
            this.createdOn = createdOn;
        }

        void enqueue(JobMessage message) {
            pending.addLast(message);
        }

        /** Un-acked messages are delivered again (at least once); new ones are packed from pending job messages. */
        QueueMessage nextDeliverable(long afterMessageId, int maxPerMessage) {
            Map.Entry<Long, List<JobMessage>> redelivery = unacked.higherEntry(afterMessageId);
            if (redelivery != null) {
                return new QueueMessage(redelivery.getKey(), redelivery.getValue(), null);
            }
            if (pending.isEmpty()) {
                return null;
            }
            List<JobMessage> batch = new ArrayList<>();
            while (!pending.isEmpty() && batch.size() < Math.max(1, maxPerMessage)) {
                batch.add(pending.removeFirst());
            }
            long messageId = ++lastMessageId;
            unacked.put(messageId, List.copyOf(batch));
            return new QueueMessage(messageId, unacked.get(messageId), null);
        }

        Statistics statistics() {
            return statisticsFrom(jobCounts);
        }

        /** Assigned counts started jobs too ("TotalAssignedJobs >= TotalRunningJobs"). */
        Statistics statisticsFrom(Map<JobState, Integer> counts) {
            int available = counts.getOrDefault(JobState.AVAILABLE, 0);
            int acquired = counts.getOrDefault(JobState.ACQUIRED, 0);
            int running = counts.getOrDefault(JobState.STARTED, 0);
            int assigned = counts.getOrDefault(JobState.ASSIGNED, 0) + running;
            int registered = 0;
            int busy = 0;
            for (Runner r : runners.values()) {
                if (r.scaleSetId == id && r.state != RunnerState.CONFIGURED) {
                    registered++;
                    if (r.state == RunnerState.BUSY) {
                        busy++;
                    }
                }
            }
            return new Statistics(available, acquired, assigned, running, registered, busy, registered - busy);
        }
    }

    private static final class Session {
        final UUID id;
        final long scaleSetId;
        final String ownerName;
        final Instant createdAt;
        String token;
        Instant tokenExpiresAt;
        Instant lastSeen;
        int pollsInFlight;
        Integer maxCapacity;

        Session(UUID id, long scaleSetId, String ownerName, Instant now) {
            this.id = id;
            this.scaleSetId = scaleSetId;
            this.ownerName = ownerName;
            this.createdAt = now;
            this.lastSeen = now;
        }

        SessionSummary summary() {
            return new SessionSummary(id.toString(), scaleSetId, ownerName, createdAt, lastSeen, pollsInFlight,
                    maxCapacity, tokenExpiresAt);
        }
    }

    private static final class Runner {
        final long id;
        final String name;
        final long scaleSetId;
        final int tenantId;
        final String token;
        RunnerState state = RunnerState.CONFIGURED;
        Long jobRequestId;

        Runner(long id, String name, long scaleSetId, int tenantId, String token) {
            this.id = id;
            this.name = name;
            this.scaleSetId = scaleSetId;
            this.tenantId = tenantId;
            this.token = token;
        }

        RunnerView view() {
            return new RunnerView(id, name, scaleSetId, tenantId, state, jobRequestId);
        }
    }

    private static final class Job {
        final long runnerRequestId;
        final String jobId;
        final JobRequest request;
        final long workflowRunId;
        final Instant queueTime;
        JobState state = JobState.AVAILABLE;
        Long scaleSetId;
        UUID acquiredBySession;
        Instant assignedAt;
        Instant scaleSetAssignTime;
        Instant runnerAssignTime;
        Instant finishTime;
        Long runnerId;
        String runnerName;
        String result;
        int reassignments;
        /** Which offer of the job this is: a re-offer after an unstarted assignment, or after its scale set went, is a new one. */
        int offers;
        String ownerName;
        String repositoryName;
        int starts;

        Job(long runnerRequestId, String jobId, JobRequest request, long workflowRunId, Instant queueTime) {
            this.runnerRequestId = runnerRequestId;
            this.jobId = jobId;
            this.request = request;
            this.workflowRunId = workflowRunId;
            this.queueTime = queueTime;
            this.ownerName = request.ownerName() == null ? "" : request.ownerName();
            this.repositoryName = request.repositoryName();
        }

        boolean matches(ScaleSet set, Tenant tenant) {
            boolean nameMatches = set.name.equalsIgnoreCase(request.scaleSetName());
            boolean ownerMatches = request.ownerName() == null || tenant == null
                    || request.ownerName().equalsIgnoreCase(tenant.key())
                    || request.ownerName().equalsIgnoreCase(tenant.ownerName());
            return nameMatches && ownerMatches;
        }

        /** Owner and repository come from the tenant the job is offered in, unless the request named them. */
        void resolveNames(Tenant tenant) {
            ownerName = request.ownerName() != null ? request.ownerName() : tenant.ownerName();
            repositoryName = tenant.repositoryName() != null ? tenant.repositoryName() : request.repositoryName();
        }

        JobMessage message(String type) {
            return new JobMessage(type, runnerRequestId, jobId, ownerName, repositoryName,
                    ownerName + "/" + repositoryName + "/.github/workflows/" + request.workflowFile()
                            + "@refs/heads/main",
                    request.displayName(), workflowRunId, request.eventName(), List.of(request.scaleSetName()),
                    queueTime, scaleSetAssignTime, runnerAssignTime, finishTime,
                    scaleSetId == null ? 0 : scaleSetId, runnerId, runnerName, result);
        }

        RunnerJob runnerJob() {
            return new RunnerJob(runnerRequestId, jobId, request.displayName(), request.durationSeconds());
        }

        JobView view() {
            return new JobView(runnerRequestId, jobId, request.scaleSetName(), scaleSetId, state,
                    request.durationSeconds(), reassignments, runnerId, runnerName, result, queueTime,
                    scaleSetAssignTime, runnerAssignTime, finishTime, starts);
        }
    }
}
